import Testing

/// The suites that start, stop, restart or cut off PostgreSQL servers, run one test at a time.
///
/// Each such test waits on database timeouts and on servers starting, and `make test` once timed one out
/// when several private clusters were being created (initdb, start) at the same moment. `.serialized`
/// orders only the tests of its own suite, so they are nested here, in one serialized parent: at most one
/// of them loads the machine with cluster work at a time (they still run beside every other suite).
@Suite(.serialized) enum PostgresOutageSuites {}
