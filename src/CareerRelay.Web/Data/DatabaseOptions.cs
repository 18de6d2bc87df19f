namespace CareerRelay.Web.Data;

public enum DatabaseProvider { Sqlite, Postgres }

public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// Apply pending schema scripts at start. Default: on for SQLite (the one-command run), off for
    /// PostgreSQL, where the <c>migrate</c> command runs once per deployment instead of on every node.
    /// </summary>
    public bool? MigrateOnStart { get; set; }

    /// <summary>
    /// PostgreSQL: how many registration writers commit side by side. Two overlap one batch's commit (the wait for the
    /// disk) with the next batch's statements; more split the same queue into smaller batches, and every batch costs the
    /// node its transaction, its round trips and its wake-ups (issue 23: four writers took batches of 5 and 18 % more CPU
    /// per registration than two with batches of 9, on 2 cores; measured again once the writers no longer queued on a
    /// company's account row: 0.85 of the reference's registrations per second against 0.93). Raise it for a database far
    /// away (long round trips).
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1, 32)]
    public int PostgresWriters { get; set; } = 2;

    /// <summary>
    /// PostgreSQL: the registration writers prepare their batch's INSERTs on their kept connections, so the server parses
    /// and plans them once per connection instead of once per batch (not the known-person look-up, whose plan must follow
    /// the table's size: RegistrationWriter). Turn it off behind a pooler that hands each transaction to another server connection without carrying
    /// prepared statements along — PgBouncer in transaction pooling before 1.21, or later without
    /// <c>max_prepared_statements</c>. A writer that finds the server has forgotten its statements stops preparing on its
    /// own and says so in the log (docs/operations.md).
    /// </summary>
    public bool PostgresPrepare { get; set; } = true;

    public bool ShouldMigrateOnStart => MigrateOnStart ?? Provider == DatabaseProvider.Sqlite;
}
