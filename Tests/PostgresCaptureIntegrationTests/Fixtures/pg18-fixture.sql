-- What PostgreSQL 18 added to the catalog, loaded on 18 and later only (the main fixture,
-- pg-fixture.sql, runs on every major). Checked field by field by
-- VersionSpecificCaptureTests.
--
-- btree_gist gives the equality part of a temporal key (an integer) a GiST operator class.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE SCHEMA pg18;

-- NOT NULL constraints with names of their own: the server's default name, a name given,
-- NO INHERIT, and one added NOT VALID.
CREATE TABLE pg18.rooms (
    id integer CONSTRAINT rooms_id_required NOT NULL,
    code text NOT NULL,
    label text NOT NULL NO INHERIT,
    note text,
    CONSTRAINT rooms_id_key UNIQUE (id)
);
INSERT INTO pg18.rooms VALUES (1, 'A', 'first', NULL);
ALTER TABLE pg18.rooms ADD CONSTRAINT rooms_note_nn NOT NULL note NOT VALID;

-- Virtual and stored generated columns; a temporal primary key; a CHECK that is not enforced.
CREATE TABLE pg18.bookings (
    room_id integer NOT NULL,
    during tstzrange NOT NULL,
    nights integer GENERATED ALWAYS AS (room_id * 2) VIRTUAL,
    code text GENERATED ALWAYS AS ('R' || room_id::text) STORED,
    note text,
    CONSTRAINT bookings_pk PRIMARY KEY (room_id, during WITHOUT OVERLAPS),
    CONSTRAINT bookings_note_short CHECK (length(note) < 100) NOT ENFORCED
);

-- A temporal foreign key, and a foreign key that is not enforced.
CREATE TABLE pg18.charges (
    id integer PRIMARY KEY,
    room_id integer,
    during tstzrange,
    CONSTRAINT charges_booking_fk FOREIGN KEY (room_id, PERIOD during)
        REFERENCES pg18.bookings (room_id, PERIOD during),
    CONSTRAINT charges_room_fk FOREIGN KEY (room_id) REFERENCES pg18.rooms (id) NOT ENFORCED
);
