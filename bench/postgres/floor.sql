-- bench/postgres/floor.sql: "the catalog floor" of the schemasync benchmarks.
--
--   psql -X -q -d bench_1000 -f bench/postgres/floor.sql -o /dev/null
--
-- Bulk SELECTs of the raw catalog rows a catalog reader needs, for every
-- non-system schema, in one REPEATABLE READ READ ONLY transaction, with no
-- deparse functions at all (no pg_get_*def, pg_get_expr, format_type, ...):
-- pg_node_tree columns (adbin, conbin, indexprs, indpred, relpartbound,
-- tgqual, proargdefaults) come back in their raw text form. Whatever a real
-- reader does on top of this (deparsing, joins for names, building the model)
-- is the cost above the floor.
--
-- Needs PostgreSQL 14 or later (pg_inherits.inhdetachpending,
-- pg_proc.prosqlbody); pg_index.indnullsnotdistinct is read on 15 or later.

\set ON_ERROR_STOP on
\pset format unaligned
\pset footer off

BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;

-- The floor is a lower bound: with the default jit = on, the planner's
-- estimate for the pg_description query crosses jit_above_cost and LLVM
-- compilation alone costs ~0.4 s at 10,000 tables, more than the query.
SET LOCAL jit = off;

SELECT current_setting('server_version_num')::int >= 150000 AS floor_pg15 \gset

-- pg_namespace
SELECT n.oid, n.nspname, n.nspowner, n.nspacl
FROM pg_catalog.pg_namespace n
WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema';

-- pg_class: tables, partitioned tables, views, materialized views, indexes,
-- sequences, foreign tables, composite types
SELECT c.oid, c.relname, c.relnamespace, c.reltype, c.relowner, c.relam,
       c.reltablespace, c.relkind, c.relpersistence, c.relnatts, c.relhasindex,
       c.relhastriggers, c.relrowsecurity, c.relforcerowsecurity, c.relreplident,
       c.relispartition, c.relacl, c.reloptions, c.relpartbound
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema';

-- pg_attribute: user columns of those relations (index columns included)
SELECT a.attrelid, a.attnum, a.attname, a.atttypid, a.atttypmod, a.attndims,
       a.attnotnull, a.atthasdef, a.attidentity, a.attgenerated, a.attisdropped,
       a.attislocal, a.attinhcount, a.attcollation, a.attstorage,
       a.attcompression, a.attstattarget, a.attacl, a.attoptions, a.attfdwoptions
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
  AND a.attnum > 0;

-- pg_attrdef: column defaults, adbin raw
SELECT d.oid, d.adrelid, d.adnum, d.adbin
FROM pg_catalog.pg_attrdef d
JOIN pg_catalog.pg_class c ON c.oid = d.adrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema';

-- pg_index: indkey/indclass/indoption raw, indexprs/indpred raw
\if :floor_pg15
SELECT x.indexrelid, x.indrelid, x.indnatts, x.indnkeyatts, x.indisunique,
       x.indnullsnotdistinct, x.indisprimary, x.indisexclusion, x.indimmediate,
       x.indisclustered, x.indisvalid, x.indisreplident, x.indkey,
       x.indcollation, x.indclass, x.indoption, x.indexprs, x.indpred
FROM pg_catalog.pg_index x
JOIN pg_catalog.pg_class c ON c.oid = x.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema';
\else
SELECT x.indexrelid, x.indrelid, x.indnatts, x.indnkeyatts, x.indisunique,
       x.indisprimary, x.indisexclusion, x.indimmediate,
       x.indisclustered, x.indisvalid, x.indisreplident, x.indkey,
       x.indcollation, x.indclass, x.indoption, x.indexprs, x.indpred
FROM pg_catalog.pg_index x
JOIN pg_catalog.pg_class c ON c.oid = x.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema';
\endif

-- pg_constraint: table and domain constraints, conbin raw
SELECT k.oid, k.conname, k.connamespace, k.contype, k.condeferrable,
       k.condeferred, k.convalidated, k.conrelid, k.contypid, k.conindid,
       k.conparentid, k.confrelid, k.confupdtype, k.confdeltype,
       k.confmatchtype, k.conislocal, k.coninhcount, k.connoinherit,
       k.conkey, k.confkey, k.conpfeqop, k.conexclop, k.conbin
FROM pg_catalog.pg_constraint k
JOIN pg_catalog.pg_namespace n ON n.oid = k.connamespace
WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema';

-- pg_trigger: user triggers (the internal FK triggers are implied by the FKs)
SELECT t.oid, t.tgrelid, t.tgparentid, t.tgname, t.tgfoid, t.tgtype,
       t.tgenabled, t.tgconstraint, t.tgdeferrable, t.tginitdeferred,
       t.tgnargs, t.tgattr, t.tgargs, t.tgqual, t.tgoldtable, t.tgnewtable
FROM pg_catalog.pg_trigger t
JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
  AND NOT t.tgisinternal;

-- pg_description: comments on schemas, relations and their columns,
-- constraints, triggers and functions of those schemas
SELECT d.objoid, d.classoid, d.objsubid, d.description
FROM pg_catalog.pg_description d
WHERE (d.classoid = 'pg_catalog.pg_class'::regclass AND EXISTS (
         SELECT FROM pg_catalog.pg_class c
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE c.oid = d.objoid
           AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'))
   OR (d.classoid = 'pg_catalog.pg_namespace'::regclass AND EXISTS (
         SELECT FROM pg_catalog.pg_namespace n
         WHERE n.oid = d.objoid
           AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'))
   OR (d.classoid = 'pg_catalog.pg_constraint'::regclass AND EXISTS (
         SELECT FROM pg_catalog.pg_constraint k
         JOIN pg_catalog.pg_namespace n ON n.oid = k.connamespace
         WHERE k.oid = d.objoid
           AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'))
   OR (d.classoid = 'pg_catalog.pg_trigger'::regclass AND EXISTS (
         SELECT FROM pg_catalog.pg_trigger t
         JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE t.oid = d.objoid
           AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'))
   OR (d.classoid = 'pg_catalog.pg_proc'::regclass AND EXISTS (
         SELECT FROM pg_catalog.pg_proc p
         JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
         WHERE p.oid = d.objoid
           AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'));

-- pg_inherits: partitions and inheritance children
SELECT i.inhrelid, i.inhparent, i.inhseqno, i.inhdetachpending
FROM pg_catalog.pg_inherits i
JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema';

-- pg_proc: functions and procedures, source and raw argument defaults
SELECT p.oid, p.proname, p.pronamespace, p.proowner, p.prolang, p.prokind,
       p.prosecdef, p.proleakproof, p.proisstrict, p.proretset, p.provolatile,
       p.proparallel, p.pronargs, p.pronargdefaults, p.prorettype,
       p.proargtypes, p.proallargtypes, p.proargmodes, p.proargnames,
       p.proargdefaults, p.prosrc, p.probin, p.prosqlbody, p.proconfig, p.proacl
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema';

COMMIT;
