using System.Buffers;
using CareerRelay.Web.Features.Jobs;
using CareerRelay.Web.Infrastructure.Localization;

namespace CareerRelay.Web.Features.Matching;

/// <summary>
/// Every candidate's matching facts in a compact, column-wise form, so ranking a job over a million people is one
/// pass over a few arrays rather than a million objects. Terms (skills and text tokens) are interned to ids; each
/// person's text is a run of packed (term id, term frequency) cells in one shared array, their skills a sorted run
/// of term ids in another; prefecture, years, salary wish and relocation sit in plain arrays indexed by slot.
/// BM25 statistics (document frequency, average length) are kept exact as people are added, changed and removed.
/// Holds no name or contact. Readers share a lock; changes take it alone (they are rare and short).
/// </summary>
public sealed class MatchIndex
{
    private const int TfBits = 8, MaxTf = (1 << TfBits) - 1, MaxTerms = 1 << (31 - TfBits);

    private readonly ReaderWriterLockSlim _lock = new();

    // Interned terms and their document frequency (number of live people whose text holds the term).
    private readonly Dictionary<string, int> _termIds = new(StringComparer.Ordinal);
    private int[] _df = new int[1024];

    // Slots: one per person; a freed slot is reused.
    private readonly Dictionary<string, int> _slotOf = new(StringComparer.Ordinal);
    private readonly Stack<int> _freeSlots = new();
    private int _slotCount;
    private string?[] _ids = new string?[64];
    private int[] _textStart = new int[64], _textCount = new int[64], _textLength = new int[64];
    private int[] _skillStart = new int[64];
    private byte[] _skillCount = new byte[64], _prefecture = new byte[64];
    private short[] _years = new short[64];
    private int[] _salary = new int[64];
    private bool[] _relocate = new bool[64];
    private bool[] _final = new bool[64];
    private string?[] _desired = new string?[64];
    private Occupations.Occupation[]?[] _occupations = new Occupations.Occupation[]?[64];

    // Shared runs: packed text cells and skill ids; the cells of changed or removed people become garbage until compaction.
    private int[] _text = new int[1024];
    private int _textUsed, _textGarbage;
    private int[] _skills = new int[256];
    private int _skillsUsed, _skillsGarbage;
    private long _totalLength;

    public int Count { get { _lock.EnterReadLock(); try { return _slotOf.Count; } finally { _lock.ExitReadLock(); } } }

    public bool Contains(string candidateId)
    {
        _lock.EnterReadLock();
        try { return _slotOf.ContainsKey(candidateId); } finally { _lock.ExitReadLock(); }
    }

    /// <summary>Adds a person, or replaces what the index knows of them.</summary>
    public void Upsert(CandidateFeatures f)
    {
        // Group tokens before taking the lock; only interning needs it.
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in f.TextTokens) counts[t] = counts.GetValueOrDefault(t) + 1;
        _lock.EnterWriteLock();
        try
        {
            if (_slotOf.TryGetValue(f.Id, out var old)) Release(old);
            var slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : NewSlot();
            _slotOf[f.Id] = slot;
            _ids[slot] = f.Id;

            var cells = new int[counts.Count];
            var i = 0;
            foreach (var (term, tf) in counts)
            {
                var id = Intern(term);
                _df[id]++;
                cells[i++] = (id << TfBits) | Math.Min(tf, MaxTf);
            }
            Array.Sort(cells);
            _textStart[slot] = Append(ref _text, ref _textUsed, cells);
            _textCount[slot] = cells.Length;
            _textLength[slot] = f.TextTokens.Count;
            _totalLength += f.TextTokens.Count;

            var skills = f.Skills.Select(Intern).Distinct().Order().Take(byte.MaxValue).ToArray();
            _skillStart[slot] = Append(ref _skills, ref _skillsUsed, skills);
            _skillCount[slot] = (byte)skills.Length;

            _prefecture[slot] = (byte)Prefectures.Number(f.Prefecture);
            _years[slot] = (short)(f.YearsOfExperience is int y ? Math.Clamp(y, 0, short.MaxValue) : -1);
            _salary[slot] = f.DesiredSalary ?? -1;
            _relocate[slot] = f.WillingToRelocate;
            _final[slot] = f.ReachedFinal;
            _desired[slot] = string.IsNullOrWhiteSpace(f.DesiredOccupation) ? null : string.Intern(f.DesiredOccupation);
            _occupations[slot] = f.DesiredOccupations is { Count: > 0 } desired ? [.. desired] : null;
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Forgets a person (erased, or to be read again).</summary>
    public void Remove(string candidateId)
    {
        _lock.EnterWriteLock();
        try { if (_slotOf.TryGetValue(candidateId, out var slot)) Release(slot); }
        finally { _lock.ExitWriteLock(); }
    }

    public IReadOnlyList<string> Ids()
    {
        _lock.EnterReadLock();
        try { return [.. _slotOf.Keys]; } finally { _lock.ExitReadLock(); }
    }

    /// <summary>
    /// Ranks people for a job, best first (ties by id, so the order is stable): everyone in the index, or only
    /// <paramref name="among"/> (ids not in the index are skipped). Text relevance is BM25 over the whole index,
    /// scaled to the best of those ranked. Every person gets points; only the top get sentences.
    /// </summary>
    public List<Match> Rank(Job job, IReadOnlyCollection<string>? among, DateTime now, string lang, int limit)
    {
        _lock.EnterReadLock();
        float[]? weights = null;
        int[]? chosen = null;
        try
        {
            var slots = among is null ? LiveSlots() : among.Select(id => _slotOf.TryGetValue(id, out var s) ? s : -1).Where(s => s >= 0).ToArray();
            var prepared = new MatchScorer.PreparedJob(job, term => _termIds.TryGetValue(term, out var id) ? id : -1);

            // BM25 weight of each query term, looked up by term id while walking each person's cells.
            weights = ArrayPool<float>.Shared.Rent(Math.Max(1, _termIds.Count));
            Array.Clear(weights, 0, _termIds.Count);
            var live = _slotOf.Count;
            foreach (var token in TextTokenizer.Tokenize($"{job.Title}\n{job.Description}"))
                if (_termIds.TryGetValue(token, out var id) && _df[id] > 0)
                    weights[id] = (float)(Math.Log(1 + (live - _df[id] + 0.5) / (_df[id] + 0.5)) * (Bm25.K1 + 1));
            var text = new float[slots.Length];
            var best = 0f;
            var avg = live == 0 ? 1 : Math.Max(1, (double)_totalLength / live);
            for (var i = 0; i < slots.Length; i++) if ((text[i] = Bm25Of(slots[i], weights, avg)) > best) best = text[i];

            // A bounded min-heap keeps the best `limit` without sorting everyone.
            var top = new PriorityQueue<int, (double Score, string Id)>(limit + 1, Worst.First);
            for (var i = 0; i < slots.Length; i++)
            {
                var facts = new Slot(this, slots[i]);
                var entry = (MatchScorer.Points(prepared, facts, best > 0 ? text[i] / best : 0, now, null, lang), facts.Id);
                // Most people are below the current worst of the top: turn them away without touching the heap.
                if (top.Count == limit && top.TryPeek(out _, out var worst) && Worst.First.Compare(entry, worst) <= 0) continue;
                top.Enqueue(i, entry);
                if (top.Count > limit) top.Dequeue();
            }
            chosen = new int[top.Count];
            for (var k = 0; top.Count > 0; k++) chosen[k] = top.Dequeue();
            return [.. chosen.Select(i =>
                {
                    var reasons = new List<string>();
                    var facts = new Slot(this, slots[i]);
                    var score = MatchScorer.Points(prepared, facts, best > 0 ? text[i] / best : 0, now, reasons, lang);
                    return new Match(facts.Id, Math.Round(score, 1), reasons);
                }).OrderByDescending(m => m.Score).ThenBy(m => m.CandidateId, StringComparer.Ordinal)];
        }
        finally
        {
            if (weights is not null) ArrayPool<float>.Shared.Return(weights);
            _lock.ExitReadLock();
        }
    }

    /// <summary>Bytes held by the index's arrays and term table, for the memory figure in docs (strings of ids and terms included, roughly).</summary>
    public long ApproximateBytes()
    {
        _lock.EnterReadLock();
        try
        {
            long slots = (long)_ids.Length * (8 + 4 * 3 + 4 + 1 + 1 + 2 + 4 + 1 + 8 + 8);
            long runs = (long)_text.Length * 4 + (long)_skills.Length * 4 + (long)_df.Length * 4;
            long strings = _slotOf.Keys.Sum(k => 24L + 2 * k.Length) + _slotOf.Count * 24L + _termIds.Keys.Sum(k => 24L + 2 * k.Length) + _termIds.Count * 24L;
            return slots + runs + strings;
        }
        finally { _lock.ExitReadLock(); }
    }

    private float Bm25Of(int slot, float[] weights, double avgLength)
    {
        var cells = _text.AsSpan(_textStart[slot], _textCount[slot]);
        var norm = (float)(Bm25.K1 * (1 - Bm25.B + Bm25.B * _textLength[slot] / avgLength));
        var score = 0f;
        foreach (var cell in cells)
        {
            var w = weights[cell >> TfBits];
            if (w == 0) continue;
            var tf = cell & MaxTf;
            score += w * tf / (tf + norm);
        }
        return score;
    }

    private int[] LiveSlots()
    {
        var result = new int[_slotOf.Count];
        var n = 0;
        for (var s = 0; s < _slotCount; s++) if (_ids[s] is not null) result[n++] = s;
        return result;
    }

    private int Intern(string term)
    {
        if (_termIds.TryGetValue(term, out var id)) return id;
        id = _termIds.Count;
        if (id >= MaxTerms) throw new InvalidOperationException("The match index has run out of term ids.");
        _termIds[term] = id;
        if (id >= _df.Length) Array.Resize(ref _df, _df.Length * 2);
        return id;
    }

    private int NewSlot()
    {
        if (_slotCount == _ids.Length)
        {
            var size = _ids.Length * 2;
            Array.Resize(ref _ids, size); Array.Resize(ref _textStart, size); Array.Resize(ref _textCount, size);
            Array.Resize(ref _textLength, size); Array.Resize(ref _skillStart, size); Array.Resize(ref _skillCount, size);
            Array.Resize(ref _prefecture, size); Array.Resize(ref _years, size); Array.Resize(ref _salary, size);
            Array.Resize(ref _relocate, size); Array.Resize(ref _desired, size); Array.Resize(ref _occupations, size);
            Array.Resize(ref _final, size);
        }
        return _slotCount++;
    }

    private void Release(int slot)
    {
        foreach (var cell in _text.AsSpan(_textStart[slot], _textCount[slot])) _df[cell >> TfBits]--;
        _totalLength -= _textLength[slot];
        _textGarbage += _textCount[slot];
        _skillsGarbage += _skillCount[slot];
        _slotOf.Remove(_ids[slot]!);
        _ids[slot] = null;
        _desired[slot] = null;
        _occupations[slot] = null;
        _textCount[slot] = _textLength[slot] = 0;
        _skillCount[slot] = 0;
        _freeSlots.Push(slot);
        if (_textGarbage > 1024 && _textGarbage > _textUsed / 2) Compact();
    }

    /// <summary>Copies the live runs into fresh arrays, dropping what changed or removed people left behind.</summary>
    private void Compact()
    {
        var text = new int[Math.Max(1024, (_textUsed - _textGarbage) * 5 / 4)];
        var skills = new int[Math.Max(256, (_skillsUsed - _skillsGarbage) * 5 / 4)];
        int textUsed = 0, skillsUsed = 0;
        for (var s = 0; s < _slotCount; s++)
        {
            if (_ids[s] is null) continue;
            Array.Copy(_text, _textStart[s], text, textUsed, _textCount[s]);
            _textStart[s] = textUsed;
            textUsed += _textCount[s];
            Array.Copy(_skills, _skillStart[s], skills, skillsUsed, _skillCount[s]);
            _skillStart[s] = skillsUsed;
            skillsUsed += _skillCount[s];
        }
        (_text, _textUsed, _textGarbage) = (text, textUsed, 0);
        (_skills, _skillsUsed, _skillsGarbage) = (skills, skillsUsed, 0);
    }

    private static int Append(ref int[] run, ref int used, int[] values)
    {
        if (used + values.Length > run.Length) Array.Resize(ref run, Math.Max(run.Length * 2, used + values.Length));
        values.CopyTo(run, used);
        var start = used;
        used += values.Length;
        return start;
    }

    /// <summary>One person in the index, read in place by the scorer.</summary>
    private readonly struct Slot(MatchIndex index, int slot) : ICandidateFacts
    {
        public string Id => index._ids[slot]!;
        public bool HasSkill(in JobSkill skill) =>
            skill.TermId >= 0 && index._skills.AsSpan(index._skillStart[slot], index._skillCount[slot]).BinarySearch(skill.TermId) >= 0;
        public int? YearsOfExperience => index._years[slot] is var y && y >= 0 ? y : null;
        public int? DesiredSalary => index._salary[slot] is var s && s >= 0 ? s : null;
        public int PrefectureNumber => index._prefecture[slot];
        public bool WillingToRelocate => index._relocate[slot];
        public string? DesiredOccupation => index._desired[slot];
        public IReadOnlyList<Occupations.Occupation> DesiredOccupations => index._occupations[slot] ?? [];
        public bool ReachedFinal => index._final[slot];
    }

    /// <summary>Orders the heap so the worst match (lowest score; among equals the larger id) leaves first.</summary>
    private sealed class Worst : IComparer<(double Score, string Id)>
    {
        public static readonly Worst First = new();
        public int Compare((double Score, string Id) a, (double Score, string Id) b)
        {
            var byScore = Math.Round(a.Score, 1).CompareTo(Math.Round(b.Score, 1));
            return byScore != 0 ? byScore : -string.CompareOrdinal(a.Id, b.Id);
        }
    }
}
