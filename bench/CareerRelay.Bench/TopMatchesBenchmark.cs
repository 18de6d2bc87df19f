using BenchmarkDotNet.Attributes;
using CareerRelay.Web.Features.Jobs;
using CareerRelay.Web.Features.Matching;
using Microsoft.Data.Sqlite;

namespace CareerRelay.Bench;

/// <summary>
/// SPEC §8 P5: the top 20 candidates for one job over 100k and 1M generated candidates, single-threaded, through
/// the in-memory <see cref="MatchIndex"/> (the full score with reasons for the top); and, as a reference point, the
/// same text query through SQLite FTS5's bm25() ranking over the same profiles' tokens (text relevance only).
/// Each invocation ranks the next of 20 generated jobs, so the percentiles cover different queries.
/// </summary>
public class TopMatchesBenchmark
{
    private static readonly DateTime Now = new(2026, 11, 22, 0, 0, 0, DateTimeKind.Utc);

    [Params(100_000, 1_000_000)]
    public int Candidates { get; set; }

    private MatchIndex _index = null!;
    private Job[] _jobs = null!;
    private SqliteConnection? _fts;
    private SqliteCommand? _query;
    private string[] _ftsQueries = null!;
    private int _next;

    private IEnumerable<CandidateFeatures> People()
    {
        var random = new Random(20261122);
        for (var i = 0; i < Candidates; i++) yield return GeneratedPeople.Candidate(random, i);
    }

    private void MakeJobs()
    {
        var random = new Random(7);
        _jobs = [.. Enumerable.Range(0, 20).Select(i => GeneratedPeople.Job(random, i, Now))];
        _ftsQueries = [.. _jobs.Select(j => string.Join(" OR ", TextTokenizer.Tokenize($"{j.Title}\n{j.Description}").Distinct().Select(t => $"\"{t}\"")))];
    }

    [GlobalSetup(Target = nameof(MatchIndexTop20))]
    public void BuildIndex()
    {
        MakeJobs();
        _index = new MatchIndex();
        foreach (var person in People()) _index.Upsert(person);
    }

    [GlobalSetup(Target = nameof(Fts5Bm25Top20))]
    public void BuildFts()
    {
        MakeJobs();
        _fts = new SqliteConnection("Data Source=:memory:");
        _fts.Open();
        using (var create = _fts.CreateCommand())
        {
            create.CommandText = "CREATE VIRTUAL TABLE docs USING fts5(body, tokenize = \"unicode61 tokenchars '#+.-_'\")";
            create.ExecuteNonQuery();
        }
        using (var tx = _fts.BeginTransaction())
        using (var insert = _fts.CreateCommand())
        {
            insert.CommandText = "INSERT INTO docs(rowid, body) VALUES ($id, $body)";
            var id = insert.Parameters.Add("$id", SqliteType.Integer);
            var body = insert.Parameters.Add("$body", SqliteType.Text);
            var n = 0;
            foreach (var person in People())
            {
                id.Value = n++;
                body.Value = string.Join(' ', person.TextTokens);
                insert.ExecuteNonQuery();
            }
            tx.Commit();
        }
        _query = _fts.CreateCommand();
        _query.CommandText = "SELECT rowid FROM docs WHERE docs MATCH $q ORDER BY bm25(docs) LIMIT 20";
        _query.Parameters.Add("$q", SqliteType.Text);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _query?.Dispose();
        _fts?.Dispose();
        _index = null!;
    }

    [Benchmark(Baseline = true)]
    public int MatchIndexTop20() => _index.Rank(_jobs[_next++ % _jobs.Length], null, Now, "ja", 20).Count;

    [Benchmark]
    public int Fts5Bm25Top20()
    {
        _query!.Parameters[0].Value = _ftsQueries[_next++ % _ftsQueries.Length];
        using var reader = _query.ExecuteReader();
        var rows = 0;
        while (reader.Read()) rows++;
        return rows;
    }
}
