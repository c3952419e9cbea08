// Kysely table types. Each migration's tables are described here (generated types are not used:
// the schema is small and hand-kept beside the migrations).
export interface DB {}
