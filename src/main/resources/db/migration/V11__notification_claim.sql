-- Incident notification outbox: a notifier claims a row (PENDING -> SENDING, compare and set)
-- before sending it, so two notifiers (a stalled leader and its successor) never send the same
-- e-mail or notice. A SENDING claim older than the claim timeout (a notifier that died mid-send)
-- may be claimed again.
alter table incident_notification add column claimed_at timestamp with time zone;
alter table incident_notification add column claimed_by varchar(64);
