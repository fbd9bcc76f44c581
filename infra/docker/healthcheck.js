// Container healthcheck: the service's readiness endpoint (database, Redis and Kafka all answer).
// Usage: node /app/infra/healthcheck.js [path]  (default /health)
const path = process.argv[2] || '/health';
const port = process.env.PORT;
if (!port) {
  console.error('healthcheck: PORT is not set');
  process.exit(1);
}
fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(4000) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  (error) => {
    console.error(`healthcheck: ${error.message}`);
    process.exit(1);
  },
);
