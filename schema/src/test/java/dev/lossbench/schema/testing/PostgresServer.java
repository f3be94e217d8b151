package dev.lossbench.schema.testing;

/** A running PostgreSQL server that tests may create databases on, as its superuser. */
interface PostgresServer extends AutoCloseable {
  String host();

  int port();

  String superuser();

  /** {@code null} when the superuser logs in without one. */
  String superuserPassword();

  /** For messages, e.g. "embedded PostgreSQL 17.5.0 on localhost:54321". */
  String description();

  @Override
  void close();
}
