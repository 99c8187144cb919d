using System.Collections;

namespace Leap.Training.EvaluationSets;

/// <summary>The opened evaluation sets of a run; disposing closes their sources.</summary>
public sealed class EvaluationSetList(IReadOnlyList<IEvaluationSet> sets) : IReadOnlyList<IEvaluationSet>, IDisposable
{
    public int Count => sets.Count;
    public IEvaluationSet this[int index] => sets[index];
    public IEnumerator<IEvaluationSet> GetEnumerator() => sets.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose()
    {
        foreach (var set in sets)
        {
            set.Dispose();
        }
    }
}
