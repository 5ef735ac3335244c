//! `cargo xtask bench-knowledge`: knowledge-base search under load. A server on a fresh test-stack database
//! with the demo organisation, `articles` published articles of realistic mixed Dutch and English text
//! (one in five group-wide, one in fifty must-read) inserted in one SQL statement the way the store writes
//! them (the search vector is the table's generated column, so it is built exactly as for the API), then wrk
//! as a crew member against `/health` (the baseline, same run), several searches, the article list and the
//! must-read list; prints SQL statements per request, each round and the medians.

use anyhow::Context as _;

use super::{login, print_medians, BenchServer, LoadShape, BENCH_PASSWORD};

pub struct KnowledgeBench {
    pub articles: u32,
    pub locations: u32,
    pub shape: LoadShape,
    /// Run the debug server: a quick check that the bench itself works; the figures mean nothing.
    pub debug: bool,
}

const DUTCH: &[&str] = &[
    "Zet je fietsen in het rek achter de keuken, nooit voor de nooduitgang.",
    "Maak de koffiemachine na elke dienst schoon en spoel de stoompijp door.",
    "Vraag elke gast naar allergenen voordat je de bestelling doorgeeft aan de keuken.",
    "De kassa wordt bij sluiting twee keer geteld, door twee verschillende mensen.",
    "Glazen gaan ondersteboven in de vaatwasser; bestek apart in de mand.",
    "Bij brand bel je eerst 112 en daarna de dienstdoende manager.",
    "Koelcellen controleer je om het uur; noteer de temperatuur op de lijst.",
    "Nieuwe collega's lopen de eerste drie diensten mee met een ervaren teamlid.",
    "Fusten wissel je alleen met handschoenen en nadat de koolzuur dicht is gedraaid.",
    "Op vrijdag en zaterdag staan er twee mensen achter de bar vanaf acht uur.",
];

const ENGLISH: &[&str] = &[
    "Cleaning the coffee machine after every shift keeps the milk wand fresh.",
    "Check the fire exits at opening and make sure nothing blocks the doors.",
    "Ask every guest about allergens before the order goes to the kitchen.",
    "Count the till twice at closing, by two different people, and sign the sheet.",
    "Bicycles belong in the rack behind the kitchen, never in front of an exit.",
    "Refill the fridges from the back so the oldest bottles are sold first.",
    "Report broken glass at once and sweep the area before guests walk there.",
    "New colleagues shadow an experienced team member for their first three shifts.",
    "Change kegs only with gloves on and after closing the gas valve.",
    "On busy nights two people work the bar from eight o'clock onwards.",
];

const TITLES: &[&str] = &[
    "Fietsen stallen",
    "Koffiemachine schoonmaken",
    "Allergenen",
    "Kassa tellen bij sluiting",
    "Cleaning the coffee machine",
    "Fire exits",
    "Allergens at the table",
    "Closing the till",
    "Fusten wisselen",
    "Onboarding new crew",
];

fn sql_array(items: &[&str]) -> String {
    let quoted: Vec<String> = items
        .iter()
        .map(|s| format!("'{}'", s.replace('\'', "''")))
        .collect();
    format!("ARRAY[{}]", quoted.join(", "))
}

/// The searches measured: one Dutch word, two Dutch words, an English inflection, web-search syntax.
const QUERIES: &[(&str, &str)] = &[
    ("search \"fiets\"", "fiets"),
    (
        "search \"koffiemachine schoonmaken\"",
        "koffiemachine%20schoonmaken",
    ),
    ("search \"cleaning\"", "cleaning"),
    (
        "search '\"fire exit\" OR allergenen'",
        "%22fire%20exit%22%20OR%20allergenen",
    ),
];

pub fn bench_knowledge(options: &KnowledgeBench) -> anyhow::Result<()> {
    let shape = options.shape;
    let mut bench = BenchServer::start_with(
        &[
            "--applications".into(),
            "10".into(),
            "--locations".into(),
            options.locations.to_string(),
            "--crew".into(),
            "10".into(),
            "--weeks".into(),
            "1".into(),
        ],
        shape.keep,
        !options.debug,
    )?;
    let seeded = bench.psql(&format!(
        "WITH locs AS (SELECT array_agg(id ORDER BY id) AS ids FROM locations),
              gen AS (
                SELECT g, gen_random_uuid() AS id,
                       CASE WHEN g % 5 = 0 THEN NULL ELSE locs.ids[1 + (g / 7) % array_length(locs.ids, 1)] END AS loc,
                       ({titles})[1 + g % {title_count}] || ' ' || g AS title,
                       (SELECT string_agg(CASE WHEN (g + k) % 2 = 0
                                               THEN ({dutch})[1 + (g * 7 + k * 3) % {dutch_count}]
                                               ELSE ({english})[1 + (g * 11 + k * 5) % {english_count}] END, ' ')
                        FROM generate_series(1, 10 + g % 20) k) AS text
                FROM generate_series(1, {n}) g, locs),
              inserted AS (
                INSERT INTO kb_articles (id, location_id, title, body_html, body_text, state, must_read,
                                         published_at, confirm_from_version)
                SELECT id, loc, title, '<p>' || text || '</p>', text, 'published', g % 50 = 0, now(),
                       CASE WHEN g % 50 = 0 THEN 1 END
                FROM gen
                RETURNING id, title, body_html, must_read)
         INSERT INTO kb_article_versions (article_id, version, title, body_html, must_read)
         SELECT id, 1, title, body_html, must_read FROM inserted
         RETURNING 1",
        titles = sql_array(TITLES),
        title_count = TITLES.len(),
        dutch = sql_array(DUTCH),
        dutch_count = DUTCH.len(),
        english = sql_array(ENGLISH),
        english_count = ENGLISH.len(),
        n = options.articles,
    ))?;
    bench.psql("VACUUM ANALYZE kb_articles")?;
    println!(
        "seeded {} articles; {}",
        seeded.lines().count(),
        bench
            .psql(
                "SELECT count(*) FILTER (WHERE location_id IS NULL) || ' group-wide, ' ||
                        count(*) FILTER (WHERE must_read) || ' must-read, average ' ||
                        round(avg(length(body_text))) || ' characters of text' FROM kb_articles"
            )?
            .trim()
    );
    // A crew member of the first venue reads (seeded crew are invited; the bench activates one with the
    // administrator's password).
    let crew = bench.psql(
        "UPDATE users SET status = 'active',
                password_hash = (SELECT password_hash FROM users WHERE username = 'bench.admin')
         WHERE id = (SELECT u.id FROM users u JOIN user_locations ul ON ul.user_id = u.id
                     WHERE u.role = 'crew_member'
                       AND ul.location_id = (SELECT id FROM locations ORDER BY id LIMIT 1)
                     ORDER BY u.id LIMIT 1)
         RETURNING username",
    )?;
    let crew = crew.trim().to_string();
    anyhow::ensure!(!crew.is_empty(), "no crew member was seeded");
    let cookie = login(&bench.base, &crew, BENCH_PASSWORD)?;
    let base = bench.base.clone();
    let mut paths: Vec<(String, String)> = QUERIES
        .iter()
        .map(|(name, q)| (name.to_string(), format!("/api/knowledge/search?q={q}")))
        .collect();
    paths.push((
        "article list".into(),
        "/api/knowledge/articles?limit=50".into(),
    ));
    paths.push((
        "my must-read list".into(),
        "/api/knowledge/must-read".into(),
    ));
    let mut statements = Vec::new();
    for (name, path) in &paths {
        let body: serde_json::Value = serde_json::from_str(&bench.fetch(&cookie, path)?)
            .with_context(|| format!("{path} did not answer JSON"))?;
        let count = body["items"]
            .as_array()
            .or(body.as_array())
            .map_or(0, Vec::len);
        println!("{name}: {count} results");
        statements.push((
            name.clone(),
            bench.statements_per_request_as(&cookie, path, 20)?,
        ));
    }
    let mut targets = vec![(
        "health (baseline)".to_string(),
        format!("{base}/health"),
        String::new(),
    )];
    targets.extend(
        paths
            .iter()
            .map(|(name, path)| (name.clone(), format!("{base}{path}"), cookie.clone())),
    );
    let medians = bench.measure_as(&targets, &shape)?;
    print_medians(
        &format!(
            "medians of {} rounds × {} s, {} connections; {} articles over {} locations{}:",
            shape.rounds,
            shape.seconds,
            shape.connections,
            options.articles,
            options.locations,
            if options.debug {
                " — DEBUG BUILD, figures not meaningful"
            } else {
                ""
            }
        ),
        &medians,
        &statements,
    );
    Ok(())
}
