"""Who may do what in the policy library (object-level rules as plain functions).

- Anyone may read published cases, resources, peers, the cost model and strategy packs.
- Any signed-in, active user may propose a case or a correction, and see their own proposals.
- Editors (users with the ``policy.review_proposal`` permission, granted to the administrator
  and analyst groups by migration; see docs/adr/0006-policy-search.md) see every proposal and
  accept or reject pending ones, except proposals they made themselves.
"""

from __future__ import annotations

REVIEW_PERMISSION = "policy.review_proposal"


def can_propose(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_editor(user) -> bool:
    return can_propose(user) and user.has_perm(REVIEW_PERMISSION)


def can_view_proposal(user, proposal) -> bool:
    return can_propose(user) and (is_editor(user) or proposal.proposed_by_id == user.pk)


def can_review_proposal(user, proposal) -> bool:
    """Editors may decide pending proposals that someone else made."""
    from locus.policy.models import ProposalStatus

    return (is_editor(user) and proposal.status == ProposalStatus.PENDING
            and proposal.proposed_by_id != user.pk)
