// Integration specs talk to Postgres, Redis and the Kafka-protocol broker over TCP; consumer-group
// joins and service boots take seconds, so they get a generous per-test budget.
jest.setTimeout(120000);
