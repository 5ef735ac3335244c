//! The copy of each user's locations and applied-to locations on the `users` row (migration V13), which
//! every authenticated request reads instead of joining: it must equal what the tables it mirrors say after
//! every kind of change, including two changes to the same person at once.

use std::time::Duration;

use crewplots_domain::Role;
use deadpool_postgres::Pool;
use uuid::Uuid;

use crate::support::{spawn_app, TestApp};

/// What the copy must say, computed from the tables themselves (the join every request used to run).
const TRUTH: &str = "
    SELECT u.id,
           COALESCE(loc.ids, '{}') AS ids, COALESCE(loc.names, '{}') AS names, COALESCE(loc.tzs, '{}') AS tzs,
           ARRAY(SELECT DISTINCT a.location_id FROM applications a WHERE a.applicant_id = u.id ORDER BY 1)
               AS applied
    FROM users u
    LEFT JOIN LATERAL (
        SELECT array_agg(s.id) AS ids, array_agg(s.name) AS names, array_agg(s.timezone) AS tzs
        FROM (SELECT l.id, l.name, l.timezone
              FROM user_locations ul JOIN locations l ON l.id = ul.location_id
              WHERE ul.user_id = u.id AND ul.status <> 'inactive'
              ORDER BY l.name, l.id) s
    ) loc ON true
    ORDER BY u.id";

const COPY: &str = "
    SELECT id, access_location_ids, access_location_names, access_location_tzs, applied_location_ids
    FROM users ORDER BY id";

type Lists = (Uuid, Vec<Uuid>, Vec<String>, Vec<String>, Vec<Uuid>);

async fn lists(pool: &Pool, sql: &str) -> Vec<Lists> {
    let client = pool.get().await.unwrap();
    client
        .query(sql, &[])
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
        .collect()
}

async fn assert_copy_is_true(app: &TestApp, after: &str) {
    let truth = lists(&app.pg, TRUTH).await;
    let copy = lists(&app.pg, COPY).await;
    assert_eq!(
        copy, truth,
        "the copy differs from the tables after {after}"
    );
}

async fn execute(app: &TestApp, sql: &str, params: &[&(dyn tokio_postgres::types::ToSql + Sync)]) {
    let client = app.pg.get().await.unwrap();
    client.execute(sql, params).await.unwrap();
}

/// The user as every request reads it, through the store.
async fn stored_user(app: &TestApp, id: Uuid) -> crewplots_domain::accounts::User {
    crewplots_domain::ports::AccountStore::user(&app.store(), id)
        .await
        .unwrap()
        .expect("the user exists")
}

#[tokio::test]
async fn the_copy_follows_memberships_renames_and_applications() {
    let app = spawn_app().await;
    // Names chosen so that the order by name differs from the order of creation.
    let zuid = app.seed_location("Zuid").await;
    let centrum = app.seed_location("Centrum").await;
    let haven = app.seed_location("Haven").await;
    let crew = app
        .seed_user(Role::CrewMember, &[zuid.id, centrum.id])
        .await;
    let applicant = app.seed_user(Role::Applicant, &[]).await;
    assert_copy_is_true(&app, "seeding").await;

    // What a request reads: the store's user, with the locations sorted by name.
    let user = stored_user(&app, crew.id).await;
    let names: Vec<_> = user.locations.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["Centrum", "Zuid"]);

    app.seed_application(applicant.id, haven.id).await;
    app.seed_application(applicant.id, zuid.id).await;
    assert_copy_is_true(&app, "two applications").await;

    execute(
        &app,
        "UPDATE applications SET status = 'rejected' WHERE applicant_id = $1 AND location_id = $2",
        &[&applicant.id, &haven.id],
    )
    .await;
    // A closed application still counts; a second one at the same venue is listed once.
    app.seed_application(applicant.id, haven.id).await;
    assert_copy_is_true(&app, "a repeated application").await;

    execute(
        &app,
        "UPDATE user_locations SET status = 'inactive' WHERE user_id = $1 AND location_id = $2",
        &[&crew.id, &zuid.id],
    )
    .await;
    assert_copy_is_true(&app, "a membership made inactive").await;
    execute(
        &app,
        "UPDATE user_locations SET status = 'on_leave' WHERE user_id = $1 AND location_id = $2",
        &[&crew.id, &zuid.id],
    )
    .await;
    assert_copy_is_true(&app, "a membership back on leave").await;

    execute(
        &app,
        "UPDATE locations SET name = 'Aan het water', timezone = 'Europe/London' WHERE id = $1",
        &[&zuid.id],
    )
    .await;
    assert_copy_is_true(&app, "a renamed location").await;
    let user = stored_user(&app, crew.id).await;
    let names: Vec<_> = user.locations.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["Aan het water", "Centrum"]);

    execute(
        &app,
        "INSERT INTO user_locations (user_id, location_id) VALUES ($1, $2)",
        &[&applicant.id, &centrum.id],
    )
    .await;
    execute(
        &app,
        "DELETE FROM user_locations WHERE user_id = $1 AND location_id = $2",
        &[&crew.id, &centrum.id],
    )
    .await;
    execute(
        &app,
        "DELETE FROM applications WHERE applicant_id = $1 AND location_id = $2",
        &[&applicant.id, &haven.id],
    )
    .await;
    assert_copy_is_true(&app, "deletions").await;

    // Erasing a person cascades through both tables; the others' copies are untouched.
    execute(&app, "DELETE FROM users WHERE id = $1", &[&applicant.id]).await;
    assert_copy_is_true(&app, "an erased account").await;
}

#[tokio::test]
async fn two_concurrent_changes_to_one_person_both_reach_the_copy() {
    let app = spawn_app().await;
    let first = app.seed_location("First").await;
    let second = app.seed_location("Second").await;
    let person = app.seed_user(Role::CrewMember, &[]).await;

    // Two transactions each add a membership; the second starts before the first commits.
    let mut a = app.pg.get().await.unwrap();
    let mut b = app.pg.get().await.unwrap();
    let ta = a.transaction().await.unwrap();
    ta.execute(
        "INSERT INTO user_locations (user_id, location_id) VALUES ($1, $2)",
        &[&person.id, &first.id],
    )
    .await
    .unwrap();
    let (second_id, person_id) = (second.id, person.id);
    let other = tokio::spawn(async move {
        let tb = b.transaction().await.unwrap();
        tb.execute(
            "INSERT INTO user_locations (user_id, location_id) VALUES ($1, $2)",
            &[&person_id, &second_id],
        )
        .await
        .unwrap();
        tb.commit().await.unwrap();
    });
    // The second waits on the person's row until the first commits.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!other.is_finished(), "the second change did not wait");
    ta.commit().await.unwrap();
    tokio::time::timeout(Duration::from_secs(10), other)
        .await
        .expect("the second change finished")
        .unwrap();

    assert_copy_is_true(&app, "two concurrent memberships").await;
    let user = stored_user(&app, person.id).await;
    assert_eq!(user.location_ids(), vec![first.id, second.id]);
}
