"""
The pact's money: budget lines, expenses with receipts, moves between lines, and the payment
tranches tied to milestones (planned → due when the milestone is done → paid by the hub).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    BudgetLine,
    Expense,
    Pact,
    PactAction,
    Tranche,
    Variation,
)
from ._base import _check_file, _lock, _variation, euro

# --- Money --------------------------------------------------------------------------------------------


def budget_line_add(*, pact: Pact, category: str, description: str, planned) -> BudgetLine:
    """Budget lines are written before the signature; after it, money moves by variation."""
    if pact.state != Pact.State.APPROVED:
        raise ValidationError(_("After the signature the budget changes only by a variation."))
    line = BudgetLine(hub=pact.hub, pact=pact, category=category, description=description, planned=planned)
    line.full_clean(exclude=["pact"])
    line.save()
    return line


def _committed(line: BudgetLine) -> Decimal:
    """Approved and pending expenses of the line."""
    return line.expenses.exclude(status=Expense.Status.REJECTED).aggregate(total=Sum("amount"))[
        "total"
    ] or Decimal("0")


@transaction.atomic
def expense_add(
    *, pact: Pact, line: BudgetLine, date, description: str, amount, receipt, supplier: str = "", by
) -> Expense:
    """An expense on a line of a signed pact, with its receipt; refused if it would pass the line."""
    pact = _lock(pact)
    if not pact.is_signed:
        raise ValidationError(_("Expenses are recorded once the pact is signed."))
    if line.pact_id != pact.pk:
        raise ValidationError({"line": _("Choose a line of this pact's budget.")})
    if receipt is None:
        raise ValidationError({"receipt": _("Every expense needs its receipt.")})
    _check_file(receipt, allowed=("pdf", "jpg", "jpeg", "png"), field="receipt")
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    left = line.planned - _committed(line)
    if amount > left:
        raise ValidationError(
            {
                "amount": _(
                    "This expense would pass its budget line: %(left)s are left on “%(line)s”. "
                    "Move money to it by a variation first."
                )
                % {"left": euro(left), "line": line.description}
            }
        )
    expense = Expense(
        hub=pact.hub,
        pact=pact,
        line=line,
        date=date,
        description=description,
        supplier=supplier,
        amount=amount,
        receipt=receipt,
        created_by=by,
    )
    expense.full_clean(exclude=["pact", "line", "created_by", "decided_by"])
    expense.save()
    return expense


@transaction.atomic
def expense_decide(*, expense: Expense, approve: bool, by) -> Expense:
    expense = Expense.objects.select_for_update().get(pk=expense.pk)
    if expense.status != Expense.Status.PENDING:
        raise ValidationError(_("This expense has already been decided."))
    expense.status = Expense.Status.APPROVED if approve else Expense.Status.REJECTED
    expense.decided_by, expense.decided_at = by, timezone.now()
    expense.save(update_fields=["status", "decided_by", "decided_at"])
    return expense


@transaction.atomic
def budget_move(*, pact: Pact, source: BudgetLine, target: BudgetLine, amount, reason: str, by) -> Variation:
    """A variation that moves money from one line to another; the source keeps what it spent."""
    pact = _lock(pact)
    if not pact.is_signed:
        raise ValidationError(_("Only a signed pact changes by variation."))
    if source.pact_id != pact.pk or target.pact_id != pact.pk or source.pk == target.pk:
        raise ValidationError(_("Choose two different lines of this pact's budget."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the pact changes.")})
    source = BudgetLine.objects.select_for_update().get(pk=source.pk)
    target = BudgetLine.objects.select_for_update().get(pk=target.pk)
    free = source.planned - _committed(source)
    if amount <= 0 or amount > free:
        raise ValidationError(
            {"amount": _("At most %(free)s can move from this line.") % {"free": euro(free)}}
        )
    source.planned -= amount
    target.planned += amount
    source.save(update_fields=["planned"])
    target.save(update_fields=["planned"])
    before = f"{source.description}: {euro(source.planned + amount)}"
    before += f" · {target.description}: {euro(target.planned - amount)}"
    after = f"{source.description}: {euro(source.planned)} · {target.description}: {euro(target.planned)}"
    changes = {"budget": [before, after]}
    return _variation(pact, reason=reason, changes=changes, by=by)


# --- Payment tranches ---------------------------------------------------------------------------------

TRANCHE_STATES = (Pact.State.APPROVED, *Pact.PUBLIC_STATES)


def _budget(pact: Pact) -> Decimal:
    return pact.budget_lines.aggregate(total=Sum("planned"))["total"] or Decimal("0")


@transaction.atomic
def tranche_add(*, pact: Pact, milestone: PactAction, amount, planned_on=None) -> Tranche:
    """
    A payment tranche tied to one of the pact's milestones (actions). The tranches together
    never pass the pact's budget; a tranche whose milestone is already done is due at once.
    """
    pact = _lock(pact)
    if pact.state not in TRANCHE_STATES:
        raise ValidationError(_("Tranches are planned once the proposal is approved."))
    if milestone.pact_id != pact.pk:
        raise ValidationError({"milestone": _("Choose a milestone of this pact.")})
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("A tranche pays a positive amount.")})
    budget = _budget(pact)
    total = (pact.tranches.aggregate(total=Sum("amount"))["total"] or Decimal("0")) + amount
    if total > budget:
        raise ValidationError(
            {
                "amount": _(
                    "The tranches would add up to %(total)s, more than the pact's budget (%(budget)s)."
                )
                % {"total": euro(total), "budget": euro(budget)}
            }
        )
    done = milestone.status == PactAction.Status.DONE
    tranche = Tranche(
        hub=pact.hub,
        pact=pact,
        milestone=milestone,
        amount=amount,
        planned_on=planned_on,
        status=Tranche.Status.DUE if done else Tranche.Status.PLANNED,
        due_since=timezone.localdate() if done else None,
    )
    tranche.full_clean(exclude=["pact", "milestone", "paid_by"])
    tranche.save()
    return tranche


def tranches_fall_due(*, action: PactAction) -> int:
    """The milestone is done: its planned tranches become due (a second call changes nothing)."""
    if action.status != PactAction.Status.DONE:
        return 0
    return Tranche.objects.filter(milestone=action, status=Tranche.Status.PLANNED).update(
        status=Tranche.Status.DUE, due_since=timezone.localdate()
    )


@transaction.atomic
def tranche_pay(*, tranche: Tranche, by, paid_on=None) -> Tranche:
    """The hub pays a due tranche: who recorded it and when are kept."""
    tranche = Tranche.objects.select_for_update().get(pk=tranche.pk)
    if tranche.status == Tranche.Status.PAID:
        raise ValidationError(_("This tranche has already been paid."))
    if tranche.status != Tranche.Status.DUE:
        raise ValidationError(_("A tranche is paid once its milestone is done."))
    tranche.status = Tranche.Status.PAID
    tranche.paid_on = paid_on or timezone.localdate()
    tranche.paid_by = by
    tranche.paid_recorded_at = timezone.now()
    tranche.save(update_fields=["status", "paid_on", "paid_by", "paid_recorded_at"])
    return tranche
