-- Custom MAIL FROM domain (SES SetIdentityMailFromDomain) of a verified sender domain, and its SES status.
alter table senders add column mail_from_domain varchar(255);
alter table senders add column mail_from_status varchar(20);
