// The server's public settings (`GET /api/settings/public`): values the front end used to hard-code, served from
// their one home on the server. An alias of the generated OpenAPI schema.
import type { components } from './schema';

/** `retentionDays` 0: kept until erased by hand. */
export type PublicSettings = components['schemas']['PublicSettings'];
