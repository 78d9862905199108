"""
The job club's declarations in the personal-data registry (hubs/personal_data.py).

Students are not `people.Person` records: the school's roster has no e-mail and most students
never sign in. A student who linked an account is found through it, so the account's own export
and erasure reach the roster record; erasure blanks the names and the personal code
(PERSONAL_FIELDS) and keeps year of birth, class, gender, school and hours. Staff erase a
student without an account from the path's page (services.student_erase).
"""

from django.utils import timezone

from hubs.personal_data import register

from .models import SelfAssessment, Student


def _erase(students) -> None:
    students.update(first_name="", last_name="", access_code="", user=None, erased_at=timezone.now())


register(
    Student,
    find=lambda subject: Student.objects.filter(user_id__in=subject.users),
    export=("first_name", "last_name", "class_name", "birth_year", "gender"),
    erase=_erase,
)

# A named self-assessment is exported with the student's data; its answers stay as facts.
register(
    SelfAssessment,
    find=lambda subject: SelfAssessment.objects.filter(student__user_id__in=subject.users),
    blank=(),
)
