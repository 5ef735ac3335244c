-- Every authenticated request reads the current user with the locations they work at (names and time zones
-- included) and the locations they applied to (SPEC §1: read fresh, never cached). Joining user_locations,
-- locations and applications for that cost PostgreSQL 1.7 times a primary-key select and was the largest
-- single share of `GET /api/auth/me` (issue 12). The user row now carries a copy of both lists, written by
-- the triggers below inside the same transaction as every change they mirror, so a request reads one row by
-- its key and still sees each committed change at once.
--
-- user_locations, locations and applications stay the truth; the copy can always be rebuilt from them with
-- `SELECT refresh_user_access(id) FROM users`.

ALTER TABLE users
    -- Locations whose membership is not 'inactive', ordered by name then id; the three arrays run in step.
    ADD COLUMN access_location_ids   UUID[] NOT NULL DEFAULT '{}',
    ADD COLUMN access_location_names TEXT[] NOT NULL DEFAULT '{}',
    ADD COLUMN access_location_tzs   TEXT[] NOT NULL DEFAULT '{}',
    -- Every location the person has applied to (any status), each once, ordered by id.
    ADD COLUMN applied_location_ids  UUID[] NOT NULL DEFAULT '{}';

CREATE FUNCTION refresh_user_access(target UUID) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- Take the row lock before reading: a concurrent change to the same person's memberships or
    -- applications then waits here until the other has committed, and the statement below (a new snapshot,
    -- as every statement of a volatile function under READ COMMITTED) sees both. NO KEY UPDATE does not
    -- conflict with the KEY SHARE lock that the foreign-key checks of the same inserts hold.
    PERFORM 1 FROM users WHERE id = target FOR NO KEY UPDATE;
    UPDATE users u
       SET (access_location_ids, access_location_names, access_location_tzs) = (
               SELECT COALESCE(array_agg(l.id ORDER BY l.name, l.id), '{}'),
                      COALESCE(array_agg(l.name ORDER BY l.name, l.id), '{}'),
                      COALESCE(array_agg(l.timezone ORDER BY l.name, l.id), '{}')
                 FROM user_locations ul
                 JOIN locations l ON l.id = ul.location_id
                WHERE ul.user_id = target AND ul.status <> 'inactive'),
           applied_location_ids = ARRAY(
               SELECT DISTINCT a.location_id FROM applications a WHERE a.applicant_id = target ORDER BY 1)
     WHERE u.id = target;
END
$$;

CREATE FUNCTION user_locations_refresh_access() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM refresh_user_access(OLD.user_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND (TG_OP = 'INSERT' OR NEW.user_id <> OLD.user_id) THEN
        PERFORM refresh_user_access(NEW.user_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER user_locations_refresh_access
    AFTER INSERT OR DELETE OR UPDATE OF user_id, location_id, status ON user_locations
    FOR EACH ROW EXECUTE FUNCTION user_locations_refresh_access();

CREATE FUNCTION applications_refresh_access() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM refresh_user_access(OLD.applicant_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND (TG_OP = 'INSERT' OR NEW.applicant_id <> OLD.applicant_id) THEN
        PERFORM refresh_user_access(NEW.applicant_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER applications_refresh_access
    AFTER INSERT OR DELETE OR UPDATE OF applicant_id, location_id ON applications
    FOR EACH ROW EXECUTE FUNCTION applications_refresh_access();

-- A renamed location, or one whose time zone changed, changes the copy of everyone who works there. Users
-- are refreshed in id order so two such changes lock rows in the same order.
CREATE FUNCTION locations_refresh_access() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refresh_user_access(ul.user_id)
       FROM (SELECT user_id FROM user_locations WHERE location_id = NEW.id ORDER BY user_id) ul;
    RETURN NULL;
END
$$;

CREATE TRIGGER locations_refresh_access
    AFTER UPDATE OF name, timezone ON locations
    FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.timezone IS DISTINCT FROM NEW.timezone)
    EXECUTE FUNCTION locations_refresh_access();

-- The copy of everyone who exists today.
SELECT refresh_user_access(id) FROM users ORDER BY id;
