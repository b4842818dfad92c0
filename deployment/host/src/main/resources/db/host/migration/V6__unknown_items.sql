-- Issue 15: an item whose send has an unknown outcome (the provider may have accepted it; the Senders module does
-- not send it again) ends as 'unknown', a final state beside sent, failed and suppressed.
alter table campaign_items drop constraint campaign_items_status_check;
alter table campaign_items add constraint campaign_items_status_check
    check (status in ('queued', 'sending', 'sent', 'failed', 'suppressed', 'unknown'));
