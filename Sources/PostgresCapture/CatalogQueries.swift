/// The bulk `pg_catalog` queries a capture sends: a fixed set per database, whatever the
/// number of tables. Deparse functions (`pg_get_expr`, `pg_get_*def`) are called only on
/// rows that have an expression to print; index definitions and types are built from the
/// structured columns where that is exact (see `IndexDefinition`, `typeNames`).
///
/// Every query runs with `search_path = pg_catalog`, so names the server prints are
/// schema-qualified the same way whatever the connecting role's search path is.
enum CatalogQueries {
    /// Objects of system schemas are never read.
    static let userNamespace = "n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'"

    /// Fixed catalog OIDs of the catalogs whose rows comments and extension membership refer to.
    enum CatalogOID {
        static let pgClass: Int64 = 1259
        static let pgProc: Int64 = 1255
        static let pgNamespace: Int64 = 2615
        static let pgConstraint: Int64 = 2606
        static let pgTrigger: Int64 = 2620
    }

    /// Session settings. Everything that changes how the server prints a value is pinned,
    /// so the same catalog reads the same whoever connects from wherever: names qualified
    /// under `search_path = pg_catalog`, times in UTC and ISO style, intervals and bytea in
    /// their default forms, identifiers quoted only where needed. `jit = off`: the catalog
    /// queries are short, and JIT compilation of the larger joins alone cost about 0.4 s per
    /// 10,000 tables.
    static let session = """
        SET search_path = pg_catalog; SET statement_timeout = %TIMEOUT%; SET lock_timeout = %TIMEOUT%; \
        SET idle_in_transaction_session_timeout = 0; SET extra_float_digits = 3; SET jit = off; \
        SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres'; \
        SET bytea_output = 'hex'; SET quote_all_identifiers = off
        """

    static let begin = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
    static let commit = "COMMIT"

    static let databaseNames = """
        SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY datname
        """

    /// The database row. The locale columns moved between majors: no provider before 15 (libc
    /// only), `daticulocale` in 15 and 16, ICU rules from 16, `datlocale` (for the ICU and the
    /// builtin provider) from 17.
    static func database(serverVersion: Int) -> String {
        let locale =
            switch serverVersion {
            case 170000...: "d.datlocprovider::text, d.datlocale, d.daticurules"
            case 160000...: "d.datlocprovider::text, d.daticulocale, d.daticurules"
            case 150000...: "d.datlocprovider::text, d.daticulocale, NULL::text"
            default: "'c'::text, NULL::text, NULL::text"
            }
        return """
            SELECT d.oid, d.datname, pg_get_userbyid(d.datdba), pg_encoding_to_char(d.encoding), d.datcollate,
                   d.datctype, shobj_description(d.oid, 'pg_database'), \(locale)
            FROM pg_database d WHERE d.datname = current_database()
            """
    }

    static let keywords = "SELECT word FROM pg_get_keywords() WHERE catcode <> 'U'"

    static let extensionMembers = """
        SELECT classid, objid FROM pg_depend WHERE deptype = 'e' AND classid IN (1259, 1255, 2615)
        """

    static let schemas = """
        SELECT n.oid, n.nspname, pg_get_userbyid(n.nspowner) FROM pg_namespace n WHERE \(userNamespace)
        """

    /// Relations of the kinds the model has; partitions included (they are attached to their
    /// parent by the reader). View definitions and partition bounds are the only deparse.
    static let relations = """
        SELECT c.oid, c.relnamespace, c.relname, c.relkind, pg_get_userbyid(c.relowner), c.relpersistence,
               c.reloptions, c.relispartition, ts.spcname,
               CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END,
               CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END,
               CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
               fs.srvname, ft.ftoptions
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_tablespace ts ON ts.oid = c.reltablespace
        LEFT JOIN pg_foreign_table ft ON ft.ftrelid = c.oid
        LEFT JOIN pg_foreign_server fs ON fs.oid = ft.ftserver
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND \(userNamespace)
        """

    static let inherits = """
        SELECT i.inhrelid, i.inhparent, i.inhseqno FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relkind IN ('r', 'p', 'f')
        """

    /// Columns with their defaults. A default never refers to a column, so it is printed
    /// without relation context (`pg_get_expr(adbin, 0)`, several times faster); only a
    /// generated column's expression needs the relation.
    static let columns = """
        SELECT a.attrelid, a.attnum, a.attname, a.atttypid, a.atttypmod, a.attnotnull, a.attidentity,
               a.attgenerated, a.attcollation, t.typcollation,
               CASE WHEN a.atthasdef THEN
                 CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, 0) ELSE pg_get_expr(d.adbin, d.adrelid) END
               END
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND \(userNamespace)
        """

    /// `format_type` once per distinct (type, typmod) pair instead of once per column.
    static let typeNames = """
        SELECT u.t, u.m, format_type(u.t, u.m) FROM unnest($1::oid[], $2::int4[]) AS u(t, m)
        """

    static let collations = """
        SELECT c.oid, c.collname, n.nspname FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace
        """

    static let opclasses = "SELECT oid, opcname, opcnamespace, opcdefault, opcintype FROM pg_opclass"

    /// Constraints of tables. Clones on partitions and the per-partition rows of a foreign key
    /// to a partitioned table carry `conparentid` and are left out: they restate the parent's.
    /// From 18, NOT NULL constraints are rows of their own (`n`), and a constraint may be `NOT
    /// ENFORCED` (`conenforced`) or temporal (`conperiod`).
    static func constraints(serverVersion: Int) -> String {
        let setColumns = serverVersion >= 150000 ? "con.confdelsetcols" : "NULL::int2[]"
        let since18 = serverVersion >= 180000
        let enforced = since18 ? "con.conenforced" : "true"
        let period = since18 ? "con.conperiod" : "false"
        let types = since18 ? "'p', 'u', 'f', 'c', 'x', 'n'" : "'p', 'u', 'f', 'c', 'x'"
        return """
            SELECT con.oid, con.conrelid, con.conname, con.contype, con.condeferrable, con.condeferred,
                   con.convalidated, con.connoinherit, con.conkey, con.confrelid, con.confkey, con.confupdtype,
                   con.confdeltype, con.confmatchtype, con.conindid,
                   CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid)
                        WHEN con.contype = 'x' THEN pg_get_constraintdef(con.oid) END,
                   \(setColumns), \(enforced), \(period)
            FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
            WHERE con.conrelid <> 0 AND con.contype IN (\(types)) AND con.conparentid = 0
              AND \(userNamespace)
            """
    }

    static func indexes(serverVersion: Int) -> String {
        let nullsNotDistinct = serverVersion >= 150000 ? "x.indnullsnotdistinct" : "false"
        return """
            SELECT x.indexrelid, x.indrelid, i.relname, am.amname, x.indisunique, x.indnkeyatts, x.indkey,
                   x.indoption, x.indclass, x.indcollation, x.indexprs IS NOT NULL, x.indpred IS NOT NULL,
                   i.reloptions, i.reltablespace, \(nullsNotDistinct), c.relkind,
                   EXISTS (SELECT 1 FROM pg_attribute ia WHERE ia.attrelid = x.indexrelid AND ia.attoptions IS NOT NULL),
                   ts.spcname
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class c ON c.oid = x.indrelid
            JOIN pg_am am ON am.oid = i.relam
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_tablespace ts ON ts.oid = i.reltablespace
            WHERE c.relkind IN ('r', 'p', 'm', 'f') AND NOT c.relispartition AND \(userNamespace)
            """
    }

    /// What the server must print for the indexes `IndexDefinition` cannot print alone
    /// ($1: their OIDs): the whole definition for those in $2 (irregular opclass, collation,
    /// storage parameters, tablespace), and for every one the predicate and the text of each
    /// expression key part (NULL for a column part), which the definition embeds verbatim.
    static let serverIndexParts = """
        SELECT x.indexrelid,
               CASE WHEN x.indexrelid = ANY($2::oid[]) THEN pg_get_indexdef(x.indexrelid) END,
               CASE WHEN x.indpred IS NOT NULL THEN pg_get_expr(x.indpred, x.indrelid) END,
               CASE WHEN x.indexprs IS NOT NULL THEN
                 ARRAY(SELECT CASE WHEN x.indkey[k - 1] = 0 THEN pg_get_indexdef(x.indexrelid, k, false) END
                       FROM generate_series(1, x.indnkeyatts::int) AS k ORDER BY k)
               END
        FROM pg_index x WHERE x.indexrelid = ANY($1::oid[])
        """

    static func triggers(serverVersion: Int) -> String {
        let notClone = serverVersion >= 130000 ? "AND t.tgparentid = 0" : ""
        return """
            SELECT t.oid, t.tgrelid, t.tgname, t.tgtype, t.tgenabled, pn.nspname, p.proname, t.tgattr,
                   t.tgconstraint <> 0, pg_get_triggerdef(t.oid)
            FROM pg_trigger t
            JOIN pg_class c ON c.oid = t.tgrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_proc p ON p.oid = t.tgfoid
            JOIN pg_namespace pn ON pn.oid = p.pronamespace
            WHERE NOT t.tgisinternal \(notClone) AND NOT c.relispartition AND \(userNamespace)
            """
    }

    static func routines(serverVersion: Int) -> String {
        let body =
            serverVersion >= 140000
            ? "CASE WHEN p.prosqlbody IS NOT NULL THEN pg_get_function_sqlbody(p.oid) ELSE p.prosrc END"
            : "p.prosrc"
        return """
            SELECT p.oid, p.pronamespace, p.proname, p.prokind, pg_get_function_identity_arguments(p.oid),
                   CASE WHEN p.prokind <> 'p' THEN pg_get_function_result(p.oid) END, l.lanname,
                   pg_get_userbyid(p.proowner), p.provolatile, p.prosecdef, p.proisstrict, p.proconfig,
                   encode(sha256(convert_to(coalesce(\(body), ''), getdatabaseencoding())), 'hex'),
                   pg_get_function_arguments(p.oid), p.proparallel, p.proleakproof, p.procost, p.prorows
            FROM pg_proc p
            JOIN pg_language l ON l.oid = p.prolang
            JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE \(userNamespace)
            """
    }

    /// Comments on user objects (OIDs from 16384 on) and on schemas such as `public`.
    static let comments = """
        SELECT d.classoid, d.objoid, d.objsubid, d.description FROM pg_description d
        WHERE d.classoid IN (1259, 2615, 2606, 2620, 1255) AND (d.objoid >= 16384 OR d.classoid = 2615)
        """
}
