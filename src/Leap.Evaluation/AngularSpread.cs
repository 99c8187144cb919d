namespace Leap.Evaluation;

/// <summary>
/// Intra-class angular spread. Per class: L2-normalise each embedding, take the centre as the mean of those unit
/// vectors, and average the angle between each unit vector x and the centre direction u = c / |c|. The angle is
/// computed as 2 atan2(|x - u|, |x + u|), which stays accurate near 0 where acos(x . u) loses precision.
/// Classes are then summarised by group (head = listed in headClasses, tail = every other class present).
/// </summary>
public static class AngularSpread
{
    public static AngularSpreadReport Compute(Embeddings embeddings, IReadOnlyList<int> labels, IReadOnlySet<int> headClasses)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(headClasses);
        if (labels.Count != embeddings.Count)
        {
            throw new ArgumentException($"{labels.Count} labels for {embeddings.Count} embeddings.", nameof(labels));
        }

        var perClass = new List<ClassAngularSpread>();
        foreach (IGrouping<int, int> members in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            double[][] units = members.Select(embeddings.NormalizedRow).ToArray();
            perClass.Add(new ClassAngularSpread(members.Key, headClasses.Contains(members.Key), units.Length, MeanAngleToCentre(units, members.Key)));
        }

        return new AngularSpreadReport(
            perClass,
            GroupAngularSpread.Of(perClass.Where(c => c.IsHead).Select(c => c.MeanAngle).ToArray()),
            GroupAngularSpread.Of(perClass.Where(c => !c.IsHead).Select(c => c.MeanAngle).ToArray()));
    }

    private static double MeanAngleToCentre(double[][] units, int classId)
    {
        double[] centre = CentreAngles.UnitCentre(units, classId);
        double total = 0;
        foreach (double[] x in units)
        {
            total += CentreAngles.Angle(x, centre);
        }

        return total / units.Length;
    }
}
