-- The parts of the main fixture (pg-fixture.sql) that need PostgreSQL 15 or later, loaded
-- after it on those majors (TestServer.fixtureSQL). FixtureCaptureTests expects them there
-- and only there.

-- PG15: a column list for ON DELETE SET NULL.
ALTER TABLE app.shipments ADD CONSTRAINT shipments_warehouse_fk FOREIGN KEY (warehouse_region, warehouse_code)
    REFERENCES app.warehouses (region, code) ON DELETE SET NULL (warehouse_code);
COMMENT ON CONSTRAINT shipments_warehouse_fk ON app.shipments IS 'PG15 column list: ON DELETE SET NULL (warehouse_code).';

-- PG15: UNIQUE NULLS NOT DISTINCT.
CREATE UNIQUE INDEX products_barcode_nnd_uidx ON app.products (barcode) NULLS NOT DISTINCT;
COMMENT ON INDEX app.products_barcode_nnd_uidx IS 'UNIQUE NULLS NOT DISTINCT (PG15).';
