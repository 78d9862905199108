import factory
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from people.models import User

PASSWORD = "a-Long-enough-passw0rd"


class UserFactory(factory.django.DjangoModelFactory):
    """A user who can sign in: verified primary e-mail, known password."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="it_IT")
    last_name = factory.Faker("last_name", locale="it_IT")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        self.save()
        if create:
            EmailAddress.objects.create(
                user=self, email=self.email, primary=True, verified=extracted is not False
            )

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        """`UserFactory(totp=True)` gives the user an authenticator; its secret is `user.totp_secret`."""
        if create and extracted:
            self.totp_secret = generate_totp_secret()
            TOTP.activate(self, self.totp_secret)
            RecoveryCodes.activate(self)  # as allauth does when TOTP is set up in the UI


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "people.Person"

    first_name = factory.Faker("first_name", locale="it_IT")
    last_name = factory.Faker("last_name", locale="it_IT")
    email = factory.Sequence(lambda n: f"giovane{n}@example.org")
    birth_date = factory.Faker("date_of_birth", minimum_age=15, maximum_age=29)
    gender = "female"
    status = "student"
    education = "upper_secondary"
