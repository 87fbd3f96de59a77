"""Outcome notices: a contributor who asked is told what became of their opinion, by
e-mail or SMS, from an outbox written with the decision (``models.notice``)."""
