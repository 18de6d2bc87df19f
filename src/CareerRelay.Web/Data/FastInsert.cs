using System.Buffers;
using LinqExpression = System.Linq.Expressions.Expression;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using SQLitePCL;

namespace CareerRelay.Web.Data;

/// <summary>
/// Writes many new rows inside the current transaction without EF's change tracker: on SQLite one prepared INSERT per
/// table, reused for every row (EF sends each row as fresh SQL text that SQLite parses again) and bound through SQLite's
/// C API; on PostgreSQL one INSERT per table with an array per column, all in one <see cref="NpgsqlBatch"/>, one round trip
/// (EF's batched INSERTs were a fifth of the CPU of a registration on PostgreSQL). For the registration batch (hundreds of rows per commit) both are
/// several times cheaper. Tables, columns, value conversions and column
/// types come from the EF model, so this stays in step with it.
/// </summary>
public static class FastInsert
{
    /// <summary>
    /// Inserts <paramref name="rows"/> inside the current transaction — or, on PostgreSQL, with none open (in
    /// <see cref="DbWriteGate.RunAsOneBatchAsync"/>): then the one batch is its own transaction, all of it or none.
    /// </summary>
    /// <param name="thenOnPostgres">
    /// Statements to run after the rows in the same round trip, on PostgreSQL only (the caller runs its SQLite
    /// equivalents itself: there a statement is a call into the same process, not a trip to a server).
    /// </param>
    /// <param name="statements">A writer's own <see cref="PostgresStatements"/>, kept with its connection; fresh ones if none.</param>
    /// <param name="prepareOnPostgres">
    /// Prepare the statements on the connection first: the server keeps them for the connection's life, so on a
    /// connection kept from batch to batch only the first batch has them parsed and planned (<see cref="DatabaseOptions.PostgresPrepare"/>).
    /// </param>
    public static async Task InsertAsync(CareerRelayDb db, IReadOnlyList<object> rows, CancellationToken ct,
        IReadOnlyList<NpgsqlBatchCommand>? thenOnPostgres = null, PostgresStatements? statements = null, bool prepareOnPostgres = false)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        if (transaction is SqliteTransaction sqlite)
        {
            if (thenOnPostgres is { Count: > 0 }) throw new ArgumentException("Statements for PostgreSQL given on SQLite.", nameof(thenOnPostgres));
            foreach (var group in rows.GroupBy(r => r.GetType())) Insert(sqlite, Table.Of(db.Model, group.Key), group);
        }
        else if (db.Database.GetDbConnection() is NpgsqlConnection connection)
            await (statements ?? new PostgresStatements()).InsertAsync(connection, (NpgsqlTransaction?)transaction, db.Model, rows, thenOnPostgres, prepareOnPostgres, ct);
        // SQLite would commit each INSERT on its own.
        else throw new InvalidOperationException("FastInsert runs inside a write transaction on SQLite.");
    }

    /// <summary>
    /// One prepared statement per table on the transaction's own SQLite connection, bound through SQLite's C API: the
    /// ADO.NET layer allocated a binder per value and a byte array per string, and answered each row with a data reader
    /// (a third of the writer's allocations under load, docs/benchmarks.md). Values are bound as Microsoft.Data.Sqlite
    /// binds them, so EF reads and compares them the same way (<c>FastInsertTests</c> holds the two side by side).
    /// </summary>
    private static void Insert(SqliteTransaction transaction, Table table, IEnumerable<object> rows)
    {
        var db = transaction.Connection!.Handle!;
        var rc = raw.sqlite3_prepare_v2(db, table.InsertSql, out sqlite3_stmt statement);
        SqliteException.ThrowExceptionForRC(rc, db);
        using (statement)
        {
            foreach (var row in rows)
            {
                for (var i = 0; i < table.Columns.Length; i++) table.Columns[i].BindSqlite(statement, i + 1, row);
                rc = raw.sqlite3_step(statement);
                if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, db);
                raw.sqlite3_reset(statement);
            }
        }
    }

    /// <summary>
    /// Runs one prepared statement <paramref name="count"/> times on the connection (inside its current transaction),
    /// binding a time to <c>$1</c> and a text to <c>$2</c> each time — for the writer's small per-row updates.
    /// </summary>
    public static void Execute(SqliteConnection connection, string sql, int count, Func<int, (DateTime Time, string Text)> values)
    {
        var db = connection.Handle!;
        var rc = raw.sqlite3_prepare_v2(db, sql, out sqlite3_stmt statement);
        SqliteException.ThrowExceptionForRC(rc, db);
        using (statement)
        {
            for (var i = 0; i < count; i++)
            {
                var (time, text) = values(i);
                Check(BindTime(statement, 1, time), 1);
                Check(BindText(statement, 2, text), 2);
                rc = raw.sqlite3_step(statement);
                if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, db);
                raw.sqlite3_reset(statement);
            }
        }
    }

    private static void Check(int rc, int index)
    {
        if (rc != raw.SQLITE_OK) throw new InvalidOperationException($"SQLite refused a value for parameter {index} (code {rc}).");
    }

    private static void Bind(sqlite3_stmt statement, int index, object? value)
    {
        var rc = value switch
        {
            null => raw.sqlite3_bind_null(statement, index),
            string text => BindText(statement, index, text),
            byte[] blob => raw.sqlite3_bind_blob(statement, index, blob),
            // Microsoft.Data.Sqlite's text form of a DateTime, the one EF compares against.
            DateTime time => BindTime(statement, index, time),
            bool flag => raw.sqlite3_bind_int64(statement, index, flag ? 1 : 0),
            int number => raw.sqlite3_bind_int64(statement, index, number),
            long number => raw.sqlite3_bind_int64(statement, index, number),
            double number => raw.sqlite3_bind_double(statement, index, number),
            _ => throw new NotSupportedException($"FastInsert does not bind {value.GetType().Name} values; add it here the way Microsoft.Data.Sqlite binds it."),
        };
        Check(rc, index);
    }

    /// <summary>Formatted straight into UTF-8 on the stack: a string per time was the writer's largest allocation.</summary>
    private static int BindTime(sqlite3_stmt statement, int index, DateTime time)
    {
        Span<byte> utf8 = stackalloc byte[27]; // the format is 27 bytes at most
        return raw.sqlite3_bind_text(statement, index, utf8[..FormatTime(time, utf8)]);
    }

    /// <summary>
    /// Microsoft.Data.Sqlite's text form of a time, <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c> (the fraction without its trailing
    /// zeros, and without its point when it is zero), written digit by digit: <see cref="DateTime.TryFormat(Span{byte}, out int, ReadOnlySpan{char}, IFormatProvider?)"/>
    /// read the custom format anew for every value, the largest of our own costs on the one SQLite writer's thread
    /// (issue 23's profile). Returns the bytes written.
    /// </summary>
    public static int FormatTime(DateTime time, Span<byte> utf8)
    {
        time.Deconstruct(out int year, out int month, out int day);
        var ofDay = time.Ticks % TimeSpan.TicksPerDay;
        var seconds = (int)(ofDay / TimeSpan.TicksPerSecond);
        var fraction = (int)(ofDay % TimeSpan.TicksPerSecond);
        Digits(utf8[..4], year);
        utf8[4] = (byte)'-';
        Digits(utf8.Slice(5, 2), month);
        utf8[7] = (byte)'-';
        Digits(utf8.Slice(8, 2), day);
        utf8[10] = (byte)' ';
        Digits(utf8.Slice(11, 2), seconds / 3600);
        utf8[13] = (byte)':';
        Digits(utf8.Slice(14, 2), seconds / 60 % 60);
        utf8[16] = (byte)':';
        Digits(utf8.Slice(17, 2), seconds % 60);
        if (fraction == 0) return 19;
        utf8[19] = (byte)'.';
        Digits(utf8.Slice(20, 7), fraction);
        var length = 27;
        while (utf8[length - 1] == (byte)'0') length--;
        return length;

        static void Digits(Span<byte> into, int value)
        {
            for (var i = into.Length - 1; i >= 0; i--, value /= 10) into[i] = (byte)('0' + value % 10);
        }
    }

    // The typed binders of Column.BindSqlite: each as Bind would bind the boxed value.
    private static void ColumnString(sqlite3_stmt statement, int index, string? text) =>
        Check(text is null ? raw.sqlite3_bind_null(statement, index) : BindText(statement, index, text), index);
    private static void ColumnTime(sqlite3_stmt statement, int index, DateTime time) => Check(BindTime(statement, index, time), index);
    private static void ColumnOptionalTime(sqlite3_stmt statement, int index, DateTime? time) =>
        Check(time is { } t ? BindTime(statement, index, t) : raw.sqlite3_bind_null(statement, index), index);
    private static void ColumnInt(sqlite3_stmt statement, int index, int number) => Check(raw.sqlite3_bind_int64(statement, index, number), index);
    private static void ColumnLong(sqlite3_stmt statement, int index, long number) => Check(raw.sqlite3_bind_int64(statement, index, number), index);
    private static void ColumnFlag(sqlite3_stmt statement, int index, bool flag) => Check(raw.sqlite3_bind_int64(statement, index, flag ? 1 : 0), index);

    private static int BindText(sqlite3_stmt statement, int index, string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        if (length <= 512)
        {
            Span<byte> utf8 = stackalloc byte[length];
            Encoding.UTF8.GetBytes(text, utf8);
            return raw.sqlite3_bind_text(statement, index, utf8); // SQLite copies it
        }
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Encoding.UTF8.GetBytes(text, rented);
            return raw.sqlite3_bind_text(statement, index, rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented, clearArray: true);
        }
    }

    /// <summary>
    /// On PostgreSQL: one INSERT per table for the whole batch, its rows passed as one array per column and taken apart by
    /// <c>unnest</c>, all in one <see cref="NpgsqlBatch"/> (one round trip). A statement per row with a parameter per value
    /// (before) made a parameter object per value — 40 % of a registration's bytes on PostgreSQL (issue 23's allocation
    /// profile) — and had the server parse one statement per row. Tables are written in the order they first appear, as on
    /// SQLite: the schema declares no foreign keys between them. Without a transaction the server runs the batch as one
    /// implicit transaction (a statement that fails rolls back those before it and skips those after).
    /// <para>
    /// One writer keeps one of these with its connection, batch after batch: the batch, a command per table, a parameter
    /// and a list of values per column. Made anew for every batch they were a fifth of a registration's bytes on PostgreSQL
    /// (issue 23's allocation profile), and a new parameter looks its type up again — for a timestamp array, spelling the
    /// array type's name. The lists are emptied after each batch, so nothing of one batch stays reachable from these
    /// long-lived objects (which would carry it through every collection). Used by one batch at a time.
    /// </para>
    /// </summary>
    public sealed class PostgresStatements
    {
        private NpgsqlBatch _batch = new();
        private readonly Dictionary<Type, TableCommand> _tables = [];
        private readonly List<TableCommand> _inOrder = [];
        private bool _prepared;

        internal async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IModel model,
            IReadOnlyList<object> rows, IReadOnlyList<NpgsqlBatchCommand>? then, bool prepare, CancellationToken ct)
        {
            if (_prepared && !prepare)
            {
                // Npgsql would still send a prepared command by its statement's name: start again with fresh ones.
                _batch = new NpgsqlBatch();
                _tables.Clear();
                _prepared = false;
            }
            try
            {
                foreach (var row in rows)
                {
                    if (!_tables.TryGetValue(row.GetType(), out var table))
                        _tables[row.GetType()] = table = new TableCommand(Table.Of(model, row.GetType()));
                    if (table.Rows == 0) _inOrder.Add(table);
                    table.Add(row);
                }
                foreach (var table in _inOrder) _batch.BatchCommands.Add(table.Command());
                if (then is not null) foreach (var command in then) _batch.BatchCommands.Add(command);
                if (_batch.BatchCommands.Count == 0) return;
                _batch.Connection = connection;
                _batch.Transaction = transaction;
                // A round trip only for a statement this connection has not prepared yet (Npgsql finds the others by their text).
                if (prepare)
                {
                    _prepared = true;
                    await _batch.PrepareAsync(ct);
                }
                await _batch.ExecuteNonQueryAsync(ct);
            }
            finally
            {
                foreach (var table in _inOrder) table.Clear();
                _inOrder.Clear();
                _batch.BatchCommands.Clear();
                _batch.Connection = null;
                _batch.Transaction = null;
            }
        }
    }

    /// <summary>A table's INSERT with one array parameter per column, and the rows of the batch at hand.</summary>
    private sealed class TableCommand
    {
        private readonly NpgsqlBatchCommand _command;
        private readonly ColumnValues[] _values;

        public TableCommand(Table table)
        {
            _command = new NpgsqlBatchCommand(table.UnnestInsertSql);
            _values = [.. table.Columns.Select(c => c.NewValues())];
            foreach (var column in _values) _command.Parameters.Add(column.Parameter);
        }

        public int Rows { get; private set; }

        public void Add(object row)
        {
            foreach (var column in _values) column.Add(row);
            Rows++;
        }

        public NpgsqlBatchCommand Command()
        {
            foreach (var column in _values) column.Bind();
            return _command;
        }

        public void Clear()
        {
            foreach (var column in _values) column.Clear();
            Rows = 0;
        }
    }

    /// <summary>One column's values for the batch at hand, and the array parameter that sends them.</summary>
    private abstract class ColumnValues
    {
        public abstract NpgsqlParameter Parameter { get; }
        public abstract void Add(object row);
        /// <summary>Hands the values to the parameter for this execution (its type stays resolved from the last).</summary>
        public abstract void Bind();
        public abstract void Clear();
    }

    private sealed class ColumnValues<T>(Func<object, T> read, NpgsqlParameter<List<T>> parameter) : ColumnValues
    {
        private readonly List<T> _values = [];

        public override NpgsqlParameter Parameter => parameter;
        public override void Add(object row) => _values.Add(read(row));
        public override void Bind() => parameter.TypedValue = _values;
        public override void Clear() => _values.Clear(); // drops the batch's strings and arrays too
    }

    /// <summary>A table's insert shape and statements, read from the model once per entity type.</summary>
    private sealed record Table(string Name, string ColumnList, Column[] Columns)
    {
        public string InsertSql { get; } = $"INSERT INTO {Name} ({ColumnList}) VALUES ({string.Join(", ", Columns.Select((_, i) => $"@p{i}"))})";
        public string UnnestInsertSql { get; } = $"INSERT INTO {Name} ({ColumnList}) SELECT * FROM unnest({string.Join(", ", Columns.Select((_, i) => $"${i + 1}"))})";

        private static readonly System.Collections.Concurrent.ConcurrentDictionary<(IModel, Type), Table> Cache = new();

        public static Table Of(IModel model, Type type) => Cache.GetOrAdd((model, type), key =>
        {
            var entity = key.Item1.FindEntityType(key.Item2) ?? throw new InvalidOperationException($"{key.Item2.Name} is not in the model.");
            var columns = entity.GetProperties().Select(p => new Column(p)).ToArray();
            return new Table(entity.GetTableName()!, string.Join(", ", columns.Select(c => c.Name)), columns);
        });
    }

    private sealed class Column(IProperty property)
    {
        private readonly System.Reflection.PropertyInfo _property = property.PropertyInfo!;
        private readonly Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? _converter = property.GetTypeMapping().Converter;

        public string Name { get; } = property.GetColumnName();
        public string StoreType { get; } = property.GetColumnType();

        /// <summary>The column's PostgreSQL type for a parameter, resolved once; null for a type not listed (then by name).</summary>
        public NpgsqlTypes.NpgsqlDbType? PostgresType { get; } = PostgresTypeOf(property.GetColumnType());

        private static NpgsqlTypes.NpgsqlDbType? PostgresTypeOf(string storeType) => storeType.Split('(')[0] switch
        {
            "text" => NpgsqlTypes.NpgsqlDbType.Text,
            "character varying" => NpgsqlTypes.NpgsqlDbType.Varchar,
            "bytea" => NpgsqlTypes.NpgsqlDbType.Bytea,
            "timestamp with time zone" => NpgsqlTypes.NpgsqlDbType.TimestampTz,
            "date" => NpgsqlTypes.NpgsqlDbType.Date,
            "integer" => NpgsqlTypes.NpgsqlDbType.Integer,
            "bigint" => NpgsqlTypes.NpgsqlDbType.Bigint,
            "boolean" => NpgsqlTypes.NpgsqlDbType.Boolean,
            "double precision" => NpgsqlTypes.NpgsqlDbType.Double,
            _ => null,
        };

        /// <summary>A list for this column's values and the array parameter that sends them (the provider's type; nulls kept).</summary>
        public ColumnValues NewValues() => _newValues(this);

        private readonly Func<Column, ColumnValues> _newValues = (Func<Column, ColumnValues>)
            typeof(Column).GetMethod(nameof(MakeValues), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(property.GetTypeMapping().Converter?.ProviderClrType ?? property.ClrType)
                .CreateDelegate(typeof(Func<Column, ColumnValues>));

        private static ColumnValues MakeValues<T>(Column column)
        {
            // Compiled on PostgreSQL's first batch only (SQLite binds through its own getters); a race compiles it twice, harmlessly.
            var read = (Func<object, T>)(column._typedRead ??= TypedReader(column._efProperty));
            var parameter = new NpgsqlParameter<List<T>>();
            // Where Npgsql's own type for a list of T is the column's (text, bytea, integer, …) the parameter names none; a
            // named type is spelled out once per parameter, and the parameter is kept. character varying takes text, as
            // any INSERT would.
            if (column.PostgresType is { } type) { if (!InferredAs<T>(type)) parameter.NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | type; }
            else parameter.DataTypeName = column.StoreType + "[]";
            return new ColumnValues<T>(read, parameter);
        }

        private static bool InferredAs<T>(NpgsqlTypes.NpgsqlDbType type) => type switch
        {
            NpgsqlTypes.NpgsqlDbType.Text or NpgsqlTypes.NpgsqlDbType.Varchar => typeof(T) == typeof(string),
            NpgsqlTypes.NpgsqlDbType.Bytea => typeof(T) == typeof(byte[]),
            NpgsqlTypes.NpgsqlDbType.Integer => typeof(T) == typeof(int) || typeof(T) == typeof(int?),
            NpgsqlTypes.NpgsqlDbType.Bigint => typeof(T) == typeof(long) || typeof(T) == typeof(long?),
            NpgsqlTypes.NpgsqlDbType.Boolean => typeof(T) == typeof(bool) || typeof(T) == typeof(bool?),
            NpgsqlTypes.NpgsqlDbType.Double => typeof(T) == typeof(double) || typeof(T) == typeof(double?),
            _ => false,
        };

        /// <summary>
        /// This column of a row as the provider's type (<c>Func&lt;object, T&gt;</c>), compiled once with the value conversion
        /// inlined: <see cref="Read"/> per value (reflection, a boxed value, the converter's sanitising wrapper) was the
        /// largest of PostgreSQL's per-batch costs of ours in issue 23's CPU profile.
        /// </summary>
        private Delegate? _typedRead;
        private readonly IProperty _efProperty = property;

        private static Delegate TypedReader(IProperty property)
        {
            var info = property.PropertyInfo ?? throw new InvalidOperationException($"{property.Name} has no CLR property to read.");
            var converter = property.GetTypeMapping().Converter;
            var providerType = converter?.ProviderClrType ?? property.ClrType;
            var row = LinqExpression.Parameter(typeof(object));
            LinqExpression value = LinqExpression.Property(LinqExpression.Convert(row, info.DeclaringType!), info);
            if (converter is not null)
            {
                // EF converts only a value that is there: a null stays null (as Read does) — which needs a provider type
                // that can hold it, or a null would be written as that type's default.
                var model = value;
                var canBeNull = !model.Type.IsValueType || Nullable.GetUnderlyingType(model.Type) is not null;
                if (canBeNull && providerType.IsValueType && Nullable.GetUnderlyingType(providerType) is null)
                    throw new NotSupportedException($"FastInsert cannot write {property.DeclaringType.DisplayName()}.{property.Name}: it may be null but converts to {providerType.Name}.");
                var converted = LinqExpression.Convert(LinqExpression.Invoke(converter.ConvertToProviderExpression,
                    LinqExpression.Convert(model, converter.ModelClrType)), providerType);
                value = !canBeNull
                    ? converted
                    : LinqExpression.Condition(
                        LinqExpression.Equal(model, LinqExpression.Constant(null, model.Type)),
                        LinqExpression.Default(providerType), converted);
            }
            else if (value.Type != providerType) value = LinqExpression.Convert(value, providerType);
            return LinqExpression.Lambda(typeof(Func<,>).MakeGenericType(typeof(object), providerType), value, row).Compile();
        }

        public object? Read(object row)
        {
            var value = _property.GetValue(row);
            return value is not null && _converter is not null ? _converter.ConvertToProvider(value) : value;
        }

        /// <summary>Binds this column of <paramref name="row"/> as <see cref="Bind"/> would.</summary>
        public void BindSqlite(sqlite3_stmt statement, int index, object row)
        {
            if (_typedBind is { } typed) typed(statement, index, row);
            else Bind(statement, index, Read(row));
        }

        /// <summary>
        /// For a text, time, number or flag column without a value conversion: a compiled getter that binds the value as
        /// it is, without boxing it or going through reflection (a boxed time per column per row, and
        /// <see cref="System.Reflection.PropertyInfo.GetValue(object)"/> per value, on the one SQLite writer).
        /// </summary>
        private readonly Action<sqlite3_stmt, int, object>? _typedBind = TypedBinder(property);

        private static Action<sqlite3_stmt, int, object>? TypedBinder(IProperty property)
        {
            if (property.PropertyInfo is not { } info) return null;
            // The model's one DateTime → DateTime conversion only marks a time as UTC, which its text form does not carry.
            if (property.GetTypeMapping().Converter is { } converter
                && !(converter.ModelClrType == converter.ProviderClrType && (info.PropertyType == typeof(DateTime) || info.PropertyType == typeof(DateTime?))))
                return null;
            var bind = info.PropertyType switch
            {
                var t when t == typeof(string) => nameof(ColumnString),
                var t when t == typeof(DateTime) => nameof(ColumnTime),
                var t when t == typeof(DateTime?) => nameof(ColumnOptionalTime),
                var t when t == typeof(int) => nameof(ColumnInt),
                var t when t == typeof(long) => nameof(ColumnLong),
                var t when t == typeof(bool) => nameof(ColumnFlag),
                _ => null,
            };
            if (bind is null) return null;
            var statement = LinqExpression.Parameter(typeof(sqlite3_stmt));
            var index = LinqExpression.Parameter(typeof(int));
            var row = LinqExpression.Parameter(typeof(object));
            var value = LinqExpression.Property(LinqExpression.Convert(row, info.DeclaringType!), info);
            var call = LinqExpression.Call(typeof(FastInsert).GetMethod(bind, System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!,
                statement, index, value);
            return LinqExpression.Lambda<Action<sqlite3_stmt, int, object>>(call, statement, index, row).Compile();
        }
    }
}
