-- Issue 15, bench figure 15.2: a reservation places its first slot p_lead microseconds ahead of the database's "now",
-- the time the caller's instance recently took from a placement to being ready to send (SlotLead). Slots placed at
-- "now" were already stale when a busy machine's sender got them: it gave them up and reserved again, and at a rate
-- limit above what the machine can send that loop reached 29 given-up slots a message. Slots stay 1/rate apart, so a
-- later placement never breaks the limit. It also answers placed_at: the clock when it placed them. Otherwise as V15.
drop function senders_rate_reserve(text, bigint, integer, bigint, bigint, text, bigint);

create function senders_rate_reserve(
    p_account text, p_spacing bigint, p_wanted integer, p_max_wait bigint, p_extra_spacing bigint,
    p_organization text, p_organization_spacing bigint, p_lead bigint,
    out slots integer, out first_at bigint, out extra_at bigint, out gate_at bigint, out now_at bigint,
    out placed_at bigint)
    language plpgsql
as $$
declare
    account           senders_rate_slots;
    organization_next bigint := 0;
    t                 bigint;
    start             bigint;
    recovered         boolean;
begin
    -- the account's row first, always: a caller holding it is the only one that can wait for an organization's row
    insert into senders_rate_slots (bucket) values (p_account) on conflict do nothing;
    select * into account from senders_rate_slots where bucket = p_account for update;
    if p_organization is not null then
        insert into senders_rate_slots (bucket) values (p_organization) on conflict do nothing;
        select s.next_at into organization_next from senders_rate_slots s where s.bucket = p_organization for update;
    end if;
    -- placed p_lead ahead of now: when the caller will be ready for its slots (SlotLead)
    placed_at := senders_rate_clock();
    t := placed_at + p_lead;
    slots := 0;
    start := greatest(t, organization_next);
    if start > greatest(t, account.next_at) then
        if start - t <= p_max_wait then
            update senders_rate_slots s set next_at = start + p_wanted * p_organization_spacing
             where s.bucket = p_organization;
            gate_at := start;
        end if;
    else
        recovered := p_extra_spacing > 0 and account.spare > 0 and account.spare_until > t
            and account.extra_next_at <= start and account.next_at > start;
        first_at := greatest(start, account.next_at);
        if recovered then
            extra_at := start;
        end if;
        if coalesce(extra_at, first_at) - t > p_max_wait then
            first_at := null;
            extra_at := null;
        else
            slots := p_wanted - case when recovered then 1 else 0 end;
            update senders_rate_slots s set
                next_at = case when slots > 0 then first_at + slots * p_spacing else s.next_at end,
                spare = s.spare - case when recovered then 1 else 0 end,
                extra_next_at = case when recovered then extra_at + p_extra_spacing else s.extra_next_at end
             where s.bucket = p_account;
            if p_organization is not null then
                -- the organization's next turn counts from the slots it got, not from when it asked: while the
                -- account is booked ahead, asking early must not let it book more than its share
                update senders_rate_slots s
                   set next_at = coalesce(extra_at, first_at) + p_wanted * p_organization_spacing
                 where s.bucket = p_organization;
            end if;
            if slots = 0 then
                first_at := null;
            end if;
        end if;
    end if;
    now_at := senders_rate_clock();
end
$$;
