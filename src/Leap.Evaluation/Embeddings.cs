namespace Leap.Evaluation;

/// <summary>
/// n embeddings of dimension d held row-major in one float[] of length n * d: the single input layout of every
/// metric in this project.
/// </summary>
public sealed class Embeddings
{
    private readonly float[] _data;

    public Embeddings(float[] data, int dimension)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (data.Length % dimension != 0)
        {
            throw new ArgumentException($"{data.Length} values are not a whole number of rows of {dimension}.", nameof(data));
        }

        _data = data;
        Dimension = dimension;
        Count = data.Length / dimension;
    }

    public int Count { get; }
    public int Dimension { get; }

    public ReadOnlySpan<float> Row(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _data.AsSpan(index * Dimension, Dimension);
    }

    /// <summary>Copies jagged rows (all of equal length) into the row-major layout.</summary>
    public static Embeddings FromRows(IReadOnlyList<float[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException("At least one row is needed to know the dimension.", nameof(rows));
        }

        int d = rows[0].Length;
        var data = new float[rows.Count * d];
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i].Length != d)
            {
                throw new ArgumentException($"Row {i} has {rows[i].Length} values, row 0 has {d}.", nameof(rows));
            }

            rows[i].CopyTo(data, i * d);
        }

        return new Embeddings(data, d);
    }

    /// <summary>
    /// Row-wise sum of two embeddings of the same images (e.g. each image's and its mirror image's features, as
    /// InsightFace's LFW test combines them before the cosine).
    /// </summary>
    public static Embeddings Sum(Embeddings first, Embeddings second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Count != second.Count || first.Dimension != second.Dimension)
        {
            throw new ArgumentException($"Cannot add {second.Count} x {second.Dimension} embeddings to {first.Count} x {first.Dimension}.", nameof(second));
        }

        var data = new float[first._data.Length];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = first._data[i] + second._data[i];
        }

        return new Embeddings(data, first.Dimension);
    }

    /// <summary>Cosine similarity of rows i and j, computed in double; a zero row has no direction and throws.</summary>
    public double Cosine(int i, int j)
    {
        ReadOnlySpan<float> a = Row(i);
        ReadOnlySpan<float> b = Row(j);
        double dot = 0, na = 0, nb = 0;
        for (int k = 0; k < a.Length; k++)
        {
            dot += (double)a[k] * b[k];
            na += (double)a[k] * a[k];
            nb += (double)b[k] * b[k];
        }

        if (na == 0 || nb == 0)
        {
            throw new ArgumentException($"Embedding {(na == 0 ? i : j)} is the zero vector; its cosine is undefined.");
        }

        return dot / (Math.Sqrt(na) * Math.Sqrt(nb));
    }

    /// <summary>Row <paramref name="index"/> divided by its L2 norm, in double.</summary>
    public double[] NormalizedRow(int index)
    {
        ReadOnlySpan<float> row = Row(index);
        double norm = 0;
        foreach (float v in row)
        {
            norm += (double)v * v;
        }

        if (norm == 0)
        {
            throw new ArgumentException($"Embedding {index} is the zero vector; it cannot be normalised.");
        }

        norm = Math.Sqrt(norm);
        var result = new double[row.Length];
        for (int k = 0; k < row.Length; k++)
        {
            result[k] = row[k] / norm;
        }

        return result;
    }
}
