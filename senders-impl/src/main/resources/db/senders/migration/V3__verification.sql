-- Story 2: verification on demand (cooldown per sender, enforced atomically in the database) and the background
-- job's once-per-period record, shared by every instance of a cluster.
alter table senders add column verify_requested_at timestamptz;
-- SES's own word on the domain identity at the last check (Pending, Success, Failed, TemporaryFailure, NotStarted)
alter table senders add column ses_domain_status varchar(20);

create table senders_job_runs (
    job          varchar(100) not null,
    period_start timestamptz  not null,
    instance     varchar(255),
    started_at   timestamptz  not null default now(),
    finished_at  timestamptz,
    checked      integer,
    changed      integer,
    failed       integer,
    ses_calls    integer,
    primary key (job, period_start)
);

-- A lease that lets one instance at a time run a job; it expires if its holder dies.
create table senders_job_leases (
    job        varchar(100) primary key,
    holder     varchar(255) not null,
    expires_at timestamptz  not null
);
