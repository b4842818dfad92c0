-- Issue 15: the platform-wide rate limit without Bucket4j. Bucket4j's PostgreSQL bucket is a transaction of three
-- round trips (SELECT ... FOR UPDATE, UPDATE, COMMIT) with the row locked throughout, so every scheduling delay of
-- the client holding it stretched the lock; its buckets go.
drop table senders_rate_buckets;

-- One row per rate bucket (a provider account, or one organization's share of it): the next free slot, in
-- microseconds since the epoch on the database's clock, so that every instance of a cluster shares one clock and a
-- slot is placed when its row was actually updated. Ephemeral state, so unlogged: after a crash the table is empty and
-- each bucket starts again free, as a fresh bucket does.
create unlogged table senders_rate_slots (
    bucket        text    primary key,
    -- the next free (regular) slot: slots are reserved from here on, 1/rate apart
    next_at       bigint  not null default 0,
    -- slots of this bucket given up for lateness and not yet recovered (see senders_rate_reserve), until spare_until
    spare         integer not null default 0,
    spare_until   bigint  not null default 0,
    -- the earliest moment of the next recovered slot: recovered slots are spaced apart by their own budget
    extra_next_at bigint  not null default 0
);

-- The database's clock in microseconds, read when called (not at the start of the transaction).
create function senders_rate_clock() returns bigint
    language sql volatile
as $$ select (extract(epoch from clock_timestamp()) * 1000000)::bigint $$;

-- Reserves up to p_wanted slots of the account bucket p_account, 1/rate (p_spacing microseconds) apart, in one
-- statement. The row is locked only while this runs (autocommitted: one round trip), and the clock is read after the
-- lock is taken, so a reservation that waited for the row is placed when it got it, never early.
--
-- p_organization (null: none) is the organization's own bucket, p_organization_spacing apart: a reservation takes
-- the organization's next turn (its next_at, or now) and moves it on by one spacing a slot, from the first slot it
-- got. When that turn is later
-- than the account's next free slot (the organization has used its share), the turn is booked but no account slot:
-- gate_at says when it is; the caller then reserves the account's slots without the organization (its turn is
-- taken). Reserving the account's slots that far ahead would leave the ones in between unused.
--
-- A recovered slot (p_extra_spacing > 0: the account has room for them): while slots given up for lateness are
-- spare and the account is booked ahead (its next free slot is later than now), the first slot is placed now,
-- between the booked ones, at most one every p_extra_spacing microseconds. The caller's budget makes that safe
-- (RecoveryBudget).
--
-- Nothing is reserved when the first slot (or the organization's turn) would be more than p_max_wait microseconds
-- away. Answers: slots (the number of regular slots; 0 with first_at, extra_at and gate_at null: too far away),
-- first_at (the first regular slot), extra_at (the recovered slot, or null), gate_at (the organization's turn, booked,
-- when no slot was), and now_at (the clock when answering, to convert from).
create function senders_rate_reserve(
    p_account text, p_spacing bigint, p_wanted integer, p_max_wait bigint, p_extra_spacing bigint,
    p_organization text, p_organization_spacing bigint,
    out slots integer, out first_at bigint, out extra_at bigint, out gate_at bigint, out now_at bigint)
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
    t := senders_rate_clock();
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
