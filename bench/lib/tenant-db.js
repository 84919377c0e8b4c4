'use strict';
// What the CI benchmarks read back from the database: one organization's deliveries and evidence,
// as the owner role with that tenant set for the session (row-level security is forced even for
// the owner, so nothing of another tenant shows).
const { Client } = require('pg');

async function tenantClient(database, organizationId) {
  const client = new Client({ connectionString: database.migrationUrl });
  await client.connect();
  await client.query(`SELECT set_config('app.organization_id', $1, false)`, [organizationId]);
  return client;
}

/** Deliveries by status, e.g. { received: 10, processed: 90 }. */
async function deliveryStatusCounts(client) {
  const { rows } = await client.query(
    'SELECT status::text AS status, count(*)::int AS n FROM webhook_deliveries GROUP BY 1',
  );
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

/** Deliveries still to process (received, or failed and waiting for a retry). */
async function pendingDeliveries(client) {
  const counts = await deliveryStatusCounts(client);
  return (counts.received ?? 0) + (counts.failed ?? 0);
}

module.exports = { tenantClient, deliveryStatusCounts, pendingDeliveries };
