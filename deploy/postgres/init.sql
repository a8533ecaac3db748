-- Trustline: one PostgreSQL login role per service, each owning only its own schema.
--
-- Run once per database, as a superuser, in the database the services use. Re-runnable: existing roles get the
-- given passwords again (rotation) and existing schemas are handed (back) to their role.
--
-- Passwords (at least 16 characters each), as psql variables or, when a variable is not given, from the environment
-- (psql 15+ `\getenv`; this is how the postgres Docker image's /docker-entrypoint-initdb.d runs it):
--   psql variable              environment variable
--   gateway_password           GATEWAY_DB_PASSWORD
--   consent_password           CONSENT_DB_PASSWORD
--   conversation_ai_password   CONVERSATION_AI_DB_PASSWORD
--   retention_password         RETENTION_DB_PASSWORD
--   dsar_password              DSAR_DB_PASSWORD
--   audit_password             AUDIT_DB_PASSWORD
--
--   psql "postgres://postgres@db:5432/trustline" -v ON_ERROR_STOP=1 \
--     -v gateway_password=... -v consent_password=... -v conversation_ai_password=... \
--     -v retention_password=... -v dsar_password=... -v audit_password=... \
--     -f deploy/postgres/init.sql
--
-- Afterwards each service connects as its role (DATABASE_URL=postgres://consent:<password>@db:5432/trustline) and
-- its migrations create tables in its schema. A role can use and create only in its own schema: not in `public`, not
-- in another service's schema, and it cannot create schemas. Cross-service joins and foreign keys are impossible.

\set ON_ERROR_STOP on

\if :{?gateway_password}
\else
\getenv gateway_password GATEWAY_DB_PASSWORD
\endif
\if :{?consent_password}
\else
\getenv consent_password CONSENT_DB_PASSWORD
\endif
\if :{?conversation_ai_password}
\else
\getenv conversation_ai_password CONVERSATION_AI_DB_PASSWORD
\endif
\if :{?retention_password}
\else
\getenv retention_password RETENTION_DB_PASSWORD
\endif
\if :{?dsar_password}
\else
\getenv dsar_password DSAR_DB_PASSWORD
\endif
\if :{?audit_password}
\else
\getenv audit_password AUDIT_DB_PASSWORD
\endif

-- Unset stays empty here and is rejected below with a message that names the service.
\if :{?gateway_password} \else \set gateway_password '' \endif
\if :{?consent_password} \else \set consent_password '' \endif
\if :{?conversation_ai_password} \else \set conversation_ai_password '' \endif
\if :{?retention_password} \else \set retention_password '' \endif
\if :{?dsar_password} \else \set dsar_password '' \endif
\if :{?audit_password} \else \set audit_password '' \endif

-- psql does not substitute variables inside DO bodies: hand the passwords over as settings of this session only.
SELECT set_config('trustline.gateway_password', :'gateway_password', false),
       set_config('trustline.consent_password', :'consent_password', false),
       set_config('trustline.conversation_ai_password', :'conversation_ai_password', false),
       set_config('trustline.retention_password', :'retention_password', false),
       set_config('trustline.dsar_password', :'dsar_password', false),
       set_config('trustline.audit_password', :'audit_password', false)
\gset trustline_ignored_

BEGIN;

DO $$
DECLARE
  service text;
  secret text;
BEGIN
  FOREACH service IN ARRAY ARRAY['gateway', 'consent', 'conversation_ai', 'retention', 'dsar', 'audit'] LOOP
    secret := current_setting('trustline.' || service || '_password');
    IF length(secret) < 16 THEN
      RAISE EXCEPTION 'init.sql: the password of role % is missing or shorter than 16 characters', service;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = service) THEN
      EXECUTE format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS '
                     'PASSWORD %L', service, secret);
    ELSE
      EXECUTE format('CREATE ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS '
                     'PASSWORD %L', service, secret);
    END IF;
    EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', service, service);
    EXECUTE format('ALTER SCHEMA %I OWNER TO %I', service, service);
    -- Unqualified names (psql sessions, ad-hoc SQL) resolve to the role's own schema.
    EXECUTE format('ALTER ROLE %I IN DATABASE %I SET search_path = %I', service, current_database(), service);
  END LOOP;
END
$$;

-- Nobody but the owner may use or create in `public` (PostgreSQL < 15 lets everyone create there).
REVOKE ALL ON SCHEMA public FROM PUBLIC;

-- No new schemas for anyone but superusers: each service stays inside the one it was given.
DO $$
BEGIN
  EXECUTE format('REVOKE CREATE ON DATABASE %I FROM PUBLIC', current_database());
END
$$;

COMMIT;

-- Drop the passwords from this session's settings.
SELECT set_config('trustline.gateway_password', '', false),
       set_config('trustline.consent_password', '', false),
       set_config('trustline.conversation_ai_password', '', false),
       set_config('trustline.retention_password', '', false),
       set_config('trustline.dsar_password', '', false),
       set_config('trustline.audit_password', '', false)
\gset trustline_ignored_
