// Creates the MongoDB user that the Crew Plots application connects as.
//
// Run by the official mongo image's entrypoint (mongosh) exactly once: on the first start with an empty
// /data/db volume. Later changes to MONGO_APP_USERNAME or MONGO_APP_PASSWORD have no effect on an existing
// volume; see deploy/README.md ("Changing a database password") for the manual step.
//
// Least privilege: the user lives in the application database (the app connects with
// authSource=<that database>) and holds only `readWrite` on it. That covers everything the application does:
// collections, GridFS buckets (`sensitive_documents`) and creating its indexes at start-up. It cannot see
// other databases, manage users or run server administration commands; the root user created from
// MONGO_INITDB_ROOT_USERNAME/PASSWORD is for operators and backups only.
//
// Inputs (environment of the mongodb container, set in docker-compose.yml):
//   MONGO_INITDB_DATABASE  the application database (docker-compose.yml passes MONGODB_DB_NAME)
//   MONGO_APP_USERNAME     the application user's name
//   MONGO_APP_PASSWORD     the application user's password

function requiredEnv(name) {
  const value = process.env[name];
  if (!value || value.trim() === '') {
    // An exception makes mongosh exit non-zero, which aborts the entrypoint with this message in the log.
    throw new Error(`mongo-init: environment variable ${name} is not set; cannot create the application user`);
  }
  return value;
}

const appDbName = requiredEnv('MONGO_INITDB_DATABASE');
const appUser = requiredEnv('MONGO_APP_USERNAME');
const appPassword = requiredEnv('MONGO_APP_PASSWORD');

if (['admin', 'local', 'config'].includes(appDbName)) {
  throw new Error(`mongo-init: refusing to use the system database "${appDbName}" as the application database`);
}
if (appUser === process.env.MONGO_INITDB_ROOT_USERNAME) {
  throw new Error('mongo-init: MONGO_APP_USERNAME must differ from MONGO_INITDB_ROOT_USERNAME');
}

const appDb = db.getSiblingDB(appDbName);
const roles = [{ role: 'readWrite', db: appDbName }];

if (appDb.getUser(appUser) === null) {
  appDb.createUser({ user: appUser, pwd: appPassword, roles: roles, mechanisms: ['SCRAM-SHA-256'] });
  print(`mongo-init: created user "${appUser}" with readWrite on database "${appDbName}"`);
} else {
  // Only reachable if the script is run by hand against an initialised server.
  appDb.updateUser(appUser, { pwd: appPassword, roles: roles, mechanisms: ['SCRAM-SHA-256'] });
  print(`mongo-init: updated user "${appUser}" (readWrite on database "${appDbName}")`);
}
