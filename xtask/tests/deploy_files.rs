//! Checks of the production deployment files in `deploy/` against the customer's infrastructure requirements:
//! the four services and their images, no published ports, health checks, start order, named volumes, the
//! Traefik route, required secrets, and a non-root runtime image.
//!
//! The static checks read the files with a YAML parser and need nothing installed. The last tests run
//! Debian's `docker-compose` (1.29) when it is on PATH (`cargo xtask test` installs it), and say so and pass
//! when it is not: no Docker engine is needed for `config`.

// A test that fails by panicking with a message is the point here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{SystemTime, UNIX_EPOCH};
use std::{fs, io};

use yaml_rust2::{Yaml, YamlLoader};

/// The services that hold data: name, required image, named volume, and where the image keeps its data.
const DATA_SERVICES: [(&str, &str, &str, &str); 3] = [
    (
        "postgres",
        "postgres:15-alpine",
        "postgres_data",
        "/var/lib/postgresql/data",
    ),
    ("mongodb", "mongo:7.0", "mongodb_data", "/data/db"),
    ("redis", "redis:7.2-alpine", "redis_data", "/data"),
];

/// Variables that must never fall back to a default: compose has to refuse to run without them.
const REQUIRED_VARIABLES: [&str; 6] = [
    "SESSION_SECRET",
    "ENCRYPTION_KEY",
    "POSTGRES_PASSWORD",
    "MONGO_INITDB_ROOT_PASSWORD",
    "MONGO_APP_PASSWORD",
    "DOMAIN",
];

const COMPOSE_FILE: &str = "deploy/docker-compose.yml";
const ENV_EXAMPLE: &str = "deploy/.env.example";
const DOCKERFILE: &str = "deploy/Dockerfile";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the repository root")
        .to_path_buf()
}

fn read_repo_file(relative: &str) -> String {
    let path = repo_root().join(relative);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The compose file without its comment lines (comments may show `${VAR:?message}` as an example).
fn compose_text_without_comments() -> String {
    lines_without(&read_repo_file(COMPOSE_FILE), |line| {
        line.trim_start().starts_with('#')
    })
}

/// `text` without the lines for which `drop` is true, each kept line ending in a newline.
fn lines_without(text: &str, drop: impl Fn(&str) -> bool) -> String {
    let mut kept = String::with_capacity(text.len());
    for line in text.lines().filter(|line| !drop(line)) {
        kept.push_str(line);
        kept.push('\n');
    }
    kept
}

fn compose() -> Yaml {
    let text = read_repo_file(COMPOSE_FILE);
    let mut documents = YamlLoader::load_from_str(&text)
        .unwrap_or_else(|e| panic!("{COMPOSE_FILE} is not valid YAML: {e}"));
    assert_eq!(
        documents.len(),
        1,
        "{COMPOSE_FILE} must hold exactly one YAML document"
    );
    documents.remove(0)
}

fn service<'a>(compose: &'a Yaml, name: &str) -> &'a Yaml {
    let service = &compose["services"][name];
    assert!(service.is_hash(), "{COMPOSE_FILE} has no service `{name}`");
    service
}

fn service_names(compose: &Yaml) -> Vec<String> {
    compose["services"]
        .as_hash()
        .expect("`services` must be a mapping")
        .keys()
        .map(|k| k.as_str().expect("service names are strings").to_owned())
        .collect()
}

fn scalar(value: &Yaml) -> Option<String> {
    match value {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `labels` and `environment` may be written as a list of `KEY=value` strings or as a mapping.
fn key_values(value: &Yaml) -> Vec<(String, String)> {
    match value {
        Yaml::Array(items) => items
            .iter()
            .map(|item| {
                let item = scalar(item).expect("list entries are scalars");
                match item.split_once('=') {
                    Some((k, v)) => (k.to_owned(), v.to_owned()),
                    None => (item, String::new()),
                }
            })
            .collect(),
        Yaml::Hash(map) => map
            .iter()
            .map(|(k, v)| {
                (
                    scalar(k).expect("keys are scalars"),
                    scalar(v).unwrap_or_default(),
                )
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The health check command of a service as one string, whatever form (`CMD`, `CMD-SHELL`, plain string).
fn health_check_command(service: &Yaml) -> String {
    let test = &service["healthcheck"]["test"];
    match test {
        Yaml::Array(parts) => parts
            .iter()
            .filter_map(scalar)
            .collect::<Vec<_>>()
            .join(" "),
        other => scalar(other).unwrap_or_default(),
    }
}

/// Short (`source:target[:mode]`) and long (`{source, target}`) volume entries as (source, target).
fn mounts(service: &Yaml) -> Vec<(String, String)> {
    service["volumes"]
        .as_vec()
        .map(|entries| {
            entries
                .iter()
                .filter_map(|entry| match entry {
                    Yaml::String(short) => {
                        let mut parts = short.split(':');
                        Some((parts.next()?.to_owned(), parts.next()?.to_owned()))
                    }
                    Yaml::Hash(_) => Some((scalar(&entry["source"])?, scalar(&entry["target"])?)),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

fn networks_of(service: &Yaml) -> Vec<String> {
    match &service["networks"] {
        Yaml::Array(names) => names.iter().filter_map(scalar).collect(),
        Yaml::Hash(map) => map.keys().filter_map(scalar).collect(),
        _ => Vec::new(),
    }
}

/// Names of the variables interpolated in a compose file (`${NAME}`, `${NAME:-x}`, `${NAME:?x}`, …), with the
/// character that follows the name (`}`, `:`, `-`, `?`), in order of appearance. `$${…}` is an escape for the
/// container's shell and is skipped.
fn interpolations(text: &str) -> Vec<(String, char)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'$' && bytes[i + 1] == b'$' {
            i += 2;
            continue;
        }
        if bytes[i] == b'$' && bytes[i + 1] == b'{' {
            let start = i + 2;
            let mut end = start;
            while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
                end += 1;
            }
            let next = bytes.get(end).map_or(' ', |b| char::from(*b));
            found.push((text[start..end].to_owned(), next));
            i = end;
            continue;
        }
        i += 1;
    }
    found
}

/// One Dockerfile instruction with continuation lines joined and comment lines dropped.
struct Instruction {
    keyword: String,
    arguments: String,
}

fn dockerfile_instructions(text: &str) -> Vec<Instruction> {
    let mut instructions = Vec::new();
    let mut pending = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') || (trimmed.is_empty() && pending.is_empty()) {
            continue;
        }
        match trimmed.strip_suffix('\\') {
            Some(continued) => {
                pending.push_str(continued);
                pending.push(' ');
            }
            None => {
                pending.push_str(trimmed);
                let (keyword, arguments) = pending
                    .split_once(char::is_whitespace)
                    .unwrap_or((&pending, ""));
                instructions.push(Instruction {
                    keyword: keyword.to_ascii_uppercase(),
                    arguments: arguments.trim().to_owned(),
                });
                pending.clear();
            }
        }
    }
    instructions
}

fn final_stage(instructions: &[Instruction]) -> &[Instruction] {
    let last_from = instructions
        .iter()
        .rposition(|i| i.keyword == "FROM")
        .expect("the Dockerfile has a FROM instruction");
    &instructions[last_from..]
}

#[test]
fn compose_file_declares_app_postgres_mongodb_and_redis_with_the_required_images() {
    let compose = compose();
    for (name, image, _, _) in DATA_SERVICES {
        assert_eq!(
            service(&compose, name)["image"].as_str(),
            Some(image),
            "service `{name}` must use the image {image}"
        );
    }
    let app = service(&compose, "app");
    assert_eq!(
        app["build"]["context"].as_str(),
        Some(".."),
        "app is built from the repository root"
    );
    assert_eq!(
        app["build"]["dockerfile"].as_str(),
        Some(DOCKERFILE),
        "app is built from {DOCKERFILE}"
    );
}

#[test]
fn no_service_publishes_a_port_on_the_host() {
    let compose = compose();
    for name in service_names(&compose) {
        let service = service(&compose, &name);
        assert!(
            service["ports"].is_badvalue(),
            "service `{name}` publishes ports; only Traefik may be reachable from outside (use `expose`)"
        );
        assert_ne!(
            service["network_mode"].as_str(),
            Some("host"),
            "service `{name}` must not use the host network"
        );
    }
    assert!(
        service(&compose, "app")["expose"]
            .as_vec()
            .is_some_and(|ports| ports.iter().filter_map(scalar).any(|p| p == "5000")),
        "app must expose port 5000 to Traefik"
    );
}

#[test]
fn every_service_has_a_health_check() {
    let compose = compose();
    for name in service_names(&compose) {
        let service = service(&compose, &name);
        assert_ne!(
            service["healthcheck"]["disable"].as_bool(),
            Some(true),
            "service `{name}` disables its health check"
        );
        assert!(
            !health_check_command(service).is_empty(),
            "service `{name}` has no health check"
        );
    }
    let expected = [
        ("app", vec!["/app/crewplots-server", "healthcheck"]),
        ("postgres", vec!["pg_isready", "-U", "-d"]),
        ("mongodb", vec!["mongosh", "ping"]),
        ("redis", vec!["redis-cli", "ping"]),
    ];
    for (name, words) in expected {
        let command = health_check_command(service(&compose, name));
        for word in words {
            assert!(
                command.contains(word),
                "health check of `{name}` ({command}) should use `{word}`"
            );
        }
    }
}

#[test]
fn app_starts_only_after_postgres_mongodb_and_redis_are_healthy() {
    let compose = compose();
    let depends_on = &service(&compose, "app")["depends_on"];
    for (name, _, _, _) in DATA_SERVICES {
        assert_eq!(
            depends_on[name]["condition"].as_str(),
            Some("service_healthy"),
            "app must depend on `{name}` with condition service_healthy"
        );
    }
}

#[test]
fn databases_keep_their_data_in_named_volumes_at_the_image_data_paths() {
    let compose = compose();
    let declared = compose["volumes"]
        .as_hash()
        .expect("top-level `volumes` must be declared");
    for (name, _, volume, path) in DATA_SERVICES {
        assert!(
            declared.contains_key(&Yaml::String(volume.to_owned())),
            "named volume `{volume}` must be declared at the top level"
        );
        assert!(
            mounts(service(&compose, name)).contains(&(volume.to_owned(), path.to_owned())),
            "service `{name}` must mount `{volume}` at {path}"
        );
    }
}

#[test]
fn databases_are_only_on_the_internal_network_and_the_app_also_on_the_traefik_network() {
    let compose = compose();
    let networks = &compose["networks"];
    let internal: Vec<String> = networks
        .as_hash()
        .expect("top-level `networks` must be declared")
        .iter()
        .filter(|(_, definition)| definition["internal"].as_bool() == Some(true))
        .filter_map(|(name, _)| scalar(name))
        .collect();
    assert!(
        !internal.is_empty(),
        "a network with `internal: true` must be declared"
    );
    for (name, _, _, _) in DATA_SERVICES {
        let attached = networks_of(service(&compose, name));
        assert!(
            !attached.is_empty(),
            "service `{name}` must name its networks"
        );
        for network in attached {
            assert!(
                internal.contains(&network),
                "service `{name}` must be on internal networks only, not `{network}`"
            );
        }
    }
    let app_networks = networks_of(service(&compose, "app"));
    assert!(
        app_networks.iter().any(|n| internal.contains(n)),
        "app must share the internal network"
    );
    let external: Vec<&String> = app_networks
        .iter()
        .filter(|n| networks[n.as_str()]["external"].as_bool() == Some(true))
        .collect();
    assert_eq!(
        external.len(),
        1,
        "app must join exactly one external network (Traefik's)"
    );
    assert!(
        networks[external[0].as_str()]["name"]
            .as_str()
            .is_some_and(|n| n.contains("TRAEFIK_NETWORK")),
        "the external network's name must come from TRAEFIK_NETWORK"
    );
}

#[test]
fn app_is_routed_by_traefik_over_tls_to_port_5000() {
    let compose = compose();
    let labels = key_values(&service(&compose, "app")["labels"]);
    let value_of = |suffix: &str| -> Option<&str> {
        labels
            .iter()
            .find(|(k, _)| k.starts_with("traefik.") && k.ends_with(suffix))
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(
        value_of("traefik.enable"),
        Some("true"),
        "traefik.enable=true is missing"
    );
    assert!(
        value_of(".rule").is_some_and(|rule| rule.contains("Host(") && rule.contains("DOMAIN")),
        "the router rule must be Host(`${{DOMAIN}}`)"
    );
    assert!(
        value_of(".entrypoints").is_some_and(|e| !e.is_empty()),
        "the router needs entrypoints"
    );
    assert!(
        value_of(".tls.certresolver").is_some_and(|r| r.contains("TRAEFIK_CERT_RESOLVER")),
        "the router's certresolver must come from TRAEFIK_CERT_RESOLVER"
    );
    assert_eq!(
        value_of(".loadbalancer.server.port"),
        Some("5000"),
        "Traefik must forward to port 5000"
    );
    assert!(
        value_of("traefik.docker.network").is_some_and(|n| n.contains("TRAEFIK_NETWORK")),
        "traefik.docker.network must name the external Traefik network"
    );
    let sts_seconds = value_of(".headers.stsSeconds").and_then(|s| s.parse::<u64>().ok());
    assert!(
        sts_seconds.is_some_and(|s| s >= 31_536_000),
        "HSTS must last at least one year"
    );
    for flag in [".headers.stsIncludeSubdomains", ".headers.stsPreload"] {
        assert_eq!(
            value_of(flag),
            Some("true"),
            "the headers middleware must set {flag}"
        );
    }
}

#[test]
fn secrets_and_the_domain_are_required_and_never_defaulted() {
    let text = compose_text_without_comments();
    let uses = interpolations(&text);
    for variable in REQUIRED_VARIABLES {
        let mut forms = uses.iter().filter(|(name, _)| name == variable).peekable();
        assert!(
            forms.peek().is_some(),
            "{COMPOSE_FILE} does not use ${{{variable}}}"
        );
        for (_, next) in forms {
            assert_eq!(
                *next, ':',
                "every use of {variable} must be written ${{{variable}:?message}}"
            );
        }
        assert!(
            !text.contains(&format!("${{{variable}:-"))
                && !text.contains(&format!("${{{variable}-")),
            "{variable} must not have a default value"
        );
        assert!(
            text.contains(&format!("${{{variable}:?")),
            "{variable} must be written ${{{variable}:?message}}"
        );
    }
}

#[test]
fn every_variable_the_compose_file_uses_is_documented_in_env_example() {
    let example = read_repo_file(ENV_EXAMPLE);
    let documented: Vec<&str> = example
        .lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .filter_map(|line| line.split_once('=').map(|(name, _)| name.trim()))
        .collect();
    for (variable, _) in interpolations(&compose_text_without_comments()) {
        assert!(
            documented.contains(&variable.as_str()),
            "{ENV_EXAMPLE} does not list {variable}"
        );
    }
}

#[test]
fn runtime_image_runs_as_a_non_root_user_exposes_5000_and_checks_its_own_health() {
    let instructions = dockerfile_instructions(&read_repo_file(DOCKERFILE));
    let runtime = final_stage(&instructions);
    let last = |keyword: &str| {
        runtime
            .iter()
            .rev()
            .find(|i| i.keyword == keyword)
            .map(|i| i.arguments.as_str())
    };

    let user = last("USER").expect("the final stage must switch to a non-root USER");
    let user_name = user.split(':').next().unwrap_or_default();
    assert!(
        !matches!(user_name, "" | "root" | "0"),
        "the final stage must not run as root (USER {user})"
    );

    assert!(
        runtime
            .iter()
            .filter(|i| i.keyword == "EXPOSE")
            .flat_map(|i| i.arguments.split_whitespace())
            .any(|port| port == "5000" || port == "5000/tcp"),
        "the final stage must EXPOSE 5000"
    );

    let health = last("HEALTHCHECK").expect("the final stage must have a HEALTHCHECK");
    assert!(
        health.contains("CMD") && health.contains("healthcheck"),
        "HEALTHCHECK must run the binary's `healthcheck` subcommand, got: {health}"
    );
    assert!(
        last("ENTRYPOINT").is_some_and(|e| e.contains("/app/crewplots-server")),
        "the entry point must be /app/crewplots-server"
    );
}

// ------------------------------------------------------------------------------------------------------------
// With docker-compose

/// Runs `docker-compose -f deploy/docker-compose.yml --env-file ENV config` from the repository root, with the
/// given variables removed from the environment. `None` when docker-compose is not installed.
fn docker_compose_config(env_file: &Path, unset: &[&str]) -> Option<Output> {
    let mut command = Command::new("docker-compose");
    command
        .current_dir(repo_root())
        .args(["-f", COMPOSE_FILE, "--env-file"])
        .arg(env_file)
        .arg("config");
    for variable in unset {
        command.env_remove(variable);
    }
    match command.output() {
        Ok(output) => Some(output),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            // Written to stderr directly, not through eprintln!, so the note is shown even for a passing test.
            let _ = writeln!(
                io::stderr(),
                "note: `docker-compose` is not on PATH, so the compose file was not checked with it \
                 (apt-get install docker-compose, or run `cargo xtask test`, which installs it)"
            );
            None
        }
        Err(e) => panic!("cannot run docker-compose: {e}"),
    }
}

#[test]
fn docker_compose_accepts_the_file_with_the_example_environment() {
    let env_file = repo_root().join(ENV_EXAMPLE);
    let Some(output) = docker_compose_config(&env_file, &REQUIRED_VARIABLES) else {
        return;
    };
    assert!(
        output.status.success(),
        "docker-compose -f {COMPOSE_FILE} --env-file {ENV_EXAMPLE} config failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rendered = String::from_utf8_lossy(&output.stdout);
    assert!(
        rendered.contains("Host(`crew.example.com`)"),
        "the example domain should reach the router rule"
    );
}

#[test]
fn docker_compose_names_the_missing_secret_when_one_is_not_set() {
    let example = read_repo_file(ENV_EXAMPLE);
    let without_secret = lines_without(&example, |line| line.starts_with("SESSION_SECRET="));
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let env_file =
        std::env::temp_dir().join(format!("crewplots-env-{}-{nanos}", std::process::id()));
    fs::write(&env_file, without_secret).expect("write the temporary env file");

    let output = docker_compose_config(&env_file, &REQUIRED_VARIABLES);
    let _ = fs::remove_file(&env_file);
    let Some(output) = output else { return };
    assert!(
        !output.status.success(),
        "docker-compose config must fail when SESSION_SECRET is missing"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("SESSION_SECRET is not set"),
        "the error should name SESSION_SECRET, got:\n{stderr}"
    );
}
