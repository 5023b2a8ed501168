-- bench/postgres/generate.sql: deterministic synthetic catalog for the
-- schemasync PostgreSQL benchmarks.
--
--   psql -X -v tables=1000 -d bench_1000 -f bench/postgres/generate.sql
--
-- psql variables:
--   tables  number of generated tables N (default 1000)
--   chunk   tables per transaction (default 250; keeps the lock table small
--           enough for a server with default max_locks_per_transaction)
--
-- Expects an empty database (it refuses to run if schema s0 exists); run it
-- as a superuser or as the database owner. Requires PostgreSQL 13 or later.
-- Nothing here is random: every choice is derived from the table number i, so
-- two runs with the same N produce the same catalog.
--
-- Shape, for table number i in 0 .. N-1:
--   schema  s(i % 10), table t<i>; k = i / 10 is the table's number inside
--           its schema, and the per-table features are keyed on k so that
--           every schema gets the same mix.
--   columns 4 .. 16 (4 + (7i mod 13)): an identity primary key `id` (integer
--           BY DEFAULT when i % 3 = 0, else bigint ALWAYS), `created_at
--           timestamptz NOT NULL DEFAULT now()`, then columns cycling through
--           integer, bigint, text, varchar(n), numeric(p,s), timestamptz,
--           boolean, jsonb, text[], uuid; NOT NULL when (i + c) % 3 = 0,
--           a default when (i + c) % 4 = 1 (constants, now(), gen_random_uuid()).
--   indexes the primary key plus 2 or 3 more (3 when i % 10 in (2, 5, 8)), so
--           3.3 per table on average: single-column, multi-column, DESC,
--           partial, expression (lower(text column)), INCLUDE, UNIQUE index,
--           UNIQUE constraint.
--   FK      every 2nd table (k odd) has `ref_id` referencing t<i-10>, the
--           previous table of the same schema.
--   CHECK   every 3rd table (k % 3 = 0).
--   trigger every 10th table (k % 10 = 4) has a row-level trigger calling the
--           schema's one shared trigger function s<n>.touch_row().
--   view    every 20th table (k % 20 = 7) has a view v<i> (a join with its FK
--           target).
--   comment every 5th table (k % 5 = 2) has a table comment; every 5th
--           column ((i + c) % 5 = 0) has a column comment.
--   range   every 50th table (k % 50 = 25) is partitioned BY RANGE (created_at)
--           with 3 yearly partitions t<i>_p2023 .. t<i>_p2025. The partitions
--           are NOT counted in N: the database holds N + 3 * (number of
--           partitioned tables) tables, i.e. N * 1.06 when N is a multiple of
--           500. Each index of a partitioned table also exists on each of its
--           3 partitions.

\set ON_ERROR_STOP on
\if :{?tables}
\else
  \set tables 1000
\endif
\if :{?chunk}
\else
  \set chunk 250
\endif

SET client_min_messages = warning;
SET schemasync.bench_tables = :'tables';
SET schemasync.bench_chunk = :'chunk';

DO $guard$
BEGIN
  IF current_setting('schemasync.bench_tables') !~ '^[0-9]+$'
     OR current_setting('schemasync.bench_tables')::int < 1 THEN
    RAISE EXCEPTION 'generate.sql: tables must be a positive integer, got %',
      current_setting('schemasync.bench_tables');
  END IF;
  IF current_setting('schemasync.bench_chunk') !~ '^[0-9]+$'
     OR current_setting('schemasync.bench_chunk')::int < 1 THEN
    RAISE EXCEPTION 'generate.sql: chunk must be a positive integer, got %',
      current_setting('schemasync.bench_chunk');
  END IF;
  IF EXISTS (SELECT FROM pg_namespace WHERE nspname = 's0') THEN
    RAISE EXCEPTION 'generate.sql: expects an empty database, schema s0 already exists in %',
      current_database();
  END IF;
END
$guard$;

-- Ten schemas, each with its one shared trigger function.
DO $schemas$
BEGIN
  FOR s IN 0..9 LOOP
    EXECUTE format('CREATE SCHEMA s%s', s);
    EXECUTE format('COMMENT ON SCHEMA s%s IS %L', s, 'schemasync bench schema ' || s);
    EXECUTE format($f$
      CREATE FUNCTION s%s.touch_row() RETURNS trigger LANGUAGE plpgsql AS $body$
      BEGIN
        NEW.created_at := coalesce(NEW.created_at, now());
        RETURN NEW;
      END
      $body$ $f$, s);
  END LOOP;
END
$schemas$;

-- The tables. One DO block, committing every `chunk` tables (transaction
-- control in DO needs psql's default autocommit mode, i.e. no -1).
DO $gen$
DECLARE
  n_tables  constant int := current_setting('schemasync.bench_tables')::int;
  chunk     constant int := current_setting('schemasync.bench_chunk')::int;
  prefixes  constant text[] := ARRAY['qty', 'total', 'name', 'code', 'amount',
                                     'seen_at', 'active', 'attrs', 'tags', 'ext_id'];
  s int; k int; ncols int; c int; t int; nextra int; kind int; g int;
  sch text; tbl text; qt text;
  is_part boolean; has_fk boolean;
  coldefs text[]; generic text[]; gtypes int[]; textcol text; numcol text;
  col text; def text; a text; b text; ddl text; target int;
BEGIN
  FOR i IN 0 .. n_tables - 1 LOOP
    s := i % 10;
    k := i / 10;
    sch := 's' || s;
    tbl := 't' || i;
    qt := sch || '.' || tbl;
    is_part := k % 50 = 25;
    has_fk := k % 2 = 1;            -- k odd, so the target k - 1 exists and is never partitioned
    ncols := 4 + (i * 7) % 13;
    coldefs := ARRAY[]::text[];
    generic := ARRAY[]::text[];
    gtypes := ARRAY[]::int[];
    textcol := NULL;
    numcol := NULL;
    ddl := '';

    -- Column 1: identity primary key; column 2: created_at.
    IF i % 3 = 0 THEN
      coldefs := coldefs || 'id integer GENERATED BY DEFAULT AS IDENTITY'::text;
    ELSE
      coldefs := coldefs || 'id bigint GENERATED ALWAYS AS IDENTITY'::text;
    END IF;
    coldefs := coldefs || 'created_at timestamp with time zone NOT NULL DEFAULT now()'::text;
    c := 2;

    -- Column 3 on every 2nd table: the FK column, typed like the target's id.
    IF has_fk THEN
      target := i - 10;
      c := 3;
      coldefs := coldefs || format('ref_id %s%s',
        CASE WHEN target % 3 = 0 THEN 'integer' ELSE 'bigint' END,
        CASE WHEN k % 4 = 1 THEN ' NOT NULL' ELSE '' END);
    END IF;

    -- The remaining columns cycle through the ten types.
    FOR cc IN c + 1 .. ncols LOOP
      t := (i + cc * 3) % 10;
      col := prefixes[t + 1] || '_' || cc;
      def := CASE t
        WHEN 0 THEN 'integer'
        WHEN 1 THEN 'bigint'
        WHEN 2 THEN 'text'
        WHEN 3 THEN format('character varying(%s)', 16 * (1 + (i + cc) % 8))
        WHEN 4 THEN format('numeric(%s,%s)', 10 + (i + cc) % 9, (i + cc) % 4)
        WHEN 5 THEN 'timestamp with time zone'
        WHEN 6 THEN 'boolean'
        WHEN 7 THEN 'jsonb'
        WHEN 8 THEN 'text[]'
        ELSE 'uuid'
      END;
      IF (i + cc) % 3 = 0 THEN
        def := def || ' NOT NULL';
      END IF;
      IF (i + cc) % 4 = 1 THEN
        def := def || ' DEFAULT ' || CASE t
          WHEN 0 THEN '0'
          WHEN 1 THEN '-1'
          WHEN 2 THEN quote_literal('')
          WHEN 3 THEN quote_literal('n/a')
          WHEN 4 THEN '0.0'
          WHEN 5 THEN 'now()'
          WHEN 6 THEN 'false'
          WHEN 7 THEN quote_literal('{}') || '::jsonb'
          WHEN 8 THEN quote_literal('{}') || '::text[]'
          ELSE 'gen_random_uuid()'
        END;
      END IF;
      coldefs := coldefs || (col || ' ' || def);
      generic := generic || col;
      gtypes := gtypes || t;
      IF textcol IS NULL AND t IN (2, 3) THEN textcol := col; END IF;
      IF numcol IS NULL AND t IN (0, 1, 4) THEN numcol := col; END IF;
    END LOOP;
    g := coalesce(array_length(generic, 1), 0);   -- >= 1 since ncols >= 4

    -- Table constraints: PK, FK, CHECK.
    coldefs := coldefs || format('CONSTRAINT %s PRIMARY KEY (id%s)',
      tbl || '_pkey', CASE WHEN is_part THEN ', created_at' ELSE '' END);
    IF has_fk THEN
      coldefs := coldefs || format('CONSTRAINT %s FOREIGN KEY (ref_id) REFERENCES %s.t%s (id)%s',
        tbl || '_ref_id_fkey', sch, target,
        CASE WHEN k % 4 = 1 THEN ' ON DELETE CASCADE'
             WHEN k % 8 = 3 THEN ' ON DELETE SET NULL'
             ELSE '' END);
    END IF;
    IF k % 3 = 0 THEN
      IF numcol IS NOT NULL THEN
        coldefs := coldefs || format('CONSTRAINT %s CHECK (%s >= 0)', tbl || '_check', numcol);
      ELSIF textcol IS NOT NULL THEN
        coldefs := coldefs || format('CONSTRAINT %s CHECK (char_length(%s) < 10000)', tbl || '_check', textcol);
      ELSE
        coldefs := coldefs || format('CONSTRAINT %s CHECK (created_at >= %L::timestamp with time zone)',
          tbl || '_check', '2000-01-01 00:00:00+00');
      END IF;
    END IF;

    ddl := format('CREATE TABLE %s (%s)%s;', qt, array_to_string(coldefs, ', '),
      CASE WHEN is_part THEN ' PARTITION BY RANGE (created_at)' ELSE '' END);
    IF is_part THEN
      FOR y IN 2023 .. 2025 LOOP
        ddl := ddl || format(' CREATE TABLE %s_p%s PARTITION OF %s FOR VALUES FROM (%L) TO (%L);',
          qt, y, qt, y || '-01-01 00:00:00+00', (y + 1) || '-01-01 00:00:00+00');
      END LOOP;
    END IF;

    -- Secondary indexes: 2 or 3 per table (2.3 on average).
    nextra := CASE WHEN i % 10 IN (2, 5, 8) THEN 3 ELSE 2 END;
    FOR jj IN 1 .. nextra LOOP
      kind := (i + jj * 7) % 12;
      a := generic[(i + jj) % g + 1];
      b := CASE WHEN g > 1 THEN generic[(i + jj + 1) % g + 1] ELSE 'created_at' END;
      ddl := ddl || CASE
        WHEN kind <= 3 THEN
          format(' CREATE INDEX %s_ix%s ON %s (%s);', tbl, jj, qt, a)
        WHEN kind <= 5 THEN
          format(' CREATE INDEX %s_ix%s ON %s (%s, %s);', tbl, jj, qt, a, b)
        WHEN kind = 6 THEN
          format(' CREATE INDEX %s_ix%s ON %s (%s, %s, created_at);', tbl, jj, qt, a, b)
        WHEN kind = 7 THEN
          format(' CREATE INDEX %s_ix%s ON %s (created_at DESC, %s);', tbl, jj, qt, a)
        WHEN kind = 8 THEN
          format(' CREATE INDEX %s_ix%s ON %s (%s) WHERE %s IS NOT NULL;', tbl, jj, qt, a, a)
        WHEN kind = 9 AND textcol IS NOT NULL THEN
          format(' CREATE INDEX %s_ix%s ON %s (lower(%s));', tbl, jj, qt, textcol)
        WHEN kind = 9 THEN
          format(' CREATE INDEX %s_ix%s ON %s (%s DESC NULLS LAST);', tbl, jj, qt, a)
        WHEN kind = 10 THEN   -- a unique constraint (contype 'u'); partitioned: must include the key
          format(' ALTER TABLE %s ADD CONSTRAINT %s_uq%s UNIQUE (%s%s);', qt, tbl, jj, a,
            CASE WHEN is_part THEN ', created_at' ELSE '' END)
        ELSE                  -- a unique index with INCLUDE
          format(' CREATE UNIQUE INDEX %s_ix%s ON %s (%s%s) INCLUDE (%s);', tbl, jj, qt, a,
            CASE WHEN is_part THEN ', created_at' ELSE '' END, b)
      END;
    END LOOP;

    -- Trigger on every 10th table.
    IF k % 20 = 4 THEN
      ddl := ddl || format(' CREATE TRIGGER %s_touch BEFORE INSERT OR UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION %s.touch_row();',
        tbl, qt, sch);
    ELSIF k % 20 = 14 THEN
      ddl := ddl || format(' CREATE TRIGGER %s_touch BEFORE UPDATE ON %s FOR EACH ROW WHEN (OLD.created_at IS DISTINCT FROM NEW.created_at) EXECUTE FUNCTION %s.touch_row();',
        tbl, qt, sch);
    END IF;

    -- View on every 20th table (k % 20 = 7 is odd, so the table has an FK).
    IF k % 20 = 7 THEN
      ddl := ddl || format(' CREATE VIEW %s.v%s AS SELECT t.id, t.created_at, t.%s, r.id AS ref_id, r.created_at AS ref_created_at FROM %s t LEFT JOIN %s.t%s r ON r.id = t.ref_id;',
        sch, i, generic[1], qt, sch, target);
    END IF;

    -- Comments: every 5th table, every 5th column.
    IF k % 5 = 2 THEN
      ddl := ddl || format(' COMMENT ON TABLE %s IS %L;', qt, 'Synthetic table ' || i || ' of the schemasync bench.');
    END IF;
    FOR cc IN 1 .. ncols LOOP
      IF (i + cc) % 5 = 0 THEN
        ddl := ddl || format(' COMMENT ON COLUMN %s.%s IS %L;', qt,
          CASE WHEN cc = 1 THEN 'id' WHEN cc = 2 THEN 'created_at'
               WHEN cc = 3 AND has_fk THEN 'ref_id'
               ELSE generic[cc - c] END,
          'Column ' || cc || ' of table ' || i || '.');
      END IF;
    END LOOP;

    EXECUTE ddl;

    IF (i + 1) % chunk = 0 THEN
      COMMIT;
    END IF;
  END LOOP;
END
$gen$;

-- Fresh statistics and no dead catalog rows, so timings do not depend on when
-- autovacuum last ran.
VACUUM (ANALYZE) pg_catalog.pg_namespace, pg_catalog.pg_class, pg_catalog.pg_attribute,
  pg_catalog.pg_attrdef, pg_catalog.pg_index, pg_catalog.pg_constraint, pg_catalog.pg_trigger,
  pg_catalog.pg_description, pg_catalog.pg_inherits, pg_catalog.pg_proc, pg_catalog.pg_type,
  pg_catalog.pg_depend, pg_catalog.pg_rewrite, pg_catalog.pg_sequence;
