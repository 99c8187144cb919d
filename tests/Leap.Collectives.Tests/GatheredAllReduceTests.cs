using Leap.Collectives.Ring;
using TorchSharp;
using static TorchSharp.torch;

namespace Leap.Collectives.Tests;

/// <summary>
/// Small all-reduces take the gathered path (one all-gather, local reduction in the ring's order); its results must be
/// the reduce-scatter ring's bit for bit, NaN included, and ranks that disagree on the threshold must fail, not hang.
/// </summary>
public sealed class GatheredAllReduceTests
{
    [Theory]
    [InlineData("tcp", 2)]
    [InlineData("tcp", 3)]
    [InlineData("tcp", 4)]
    [InlineData("grpc", 3)]
    public async Task SmallAllReduce_EqualsTheReduceScatterRing_BitForBit(string kind, int n)
    {
        var gathered = await StartAsync(kind, n, _ => RingOptions.DefaultSmallAllReduceBytes);
        var ringOnly = await StartAsync(kind, n, _ => 0);
        try
        {
            foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64, ScalarType.Int64 })
            {
                foreach (var op in Enum.GetValues<ReduceOp>())
                {
                    foreach (var shape in new long[][] { [1], [2], [7], [1003], [5, 3] })
                    {
                        var what = $"{kind} N={n} {op} {dtype}[{string.Join(",", shape)}]";
                        var inputs = Reference.Inputs(n, shape, dtype, seed: shape.Length + (int)op + (int)shape[0]);
                        if (dtype != ScalarType.Int64 && shape[0] > 2)
                        {
                            // NaN on one rank and the extremes: Max/Min must keep the ring's operand order.
                            inputs[n - 1].view(-1)[1] = double.NaN;
                            inputs[0].view(-1)[2] = double.PositiveInfinity;
                        }
                        var viaGather = inputs.Select(x => x.clone()).ToArray();
                        var viaRing = inputs.Select(x => x.clone()).ToArray();

                        await Within.OnAllRanks(gathered, c => c.AllReduceAsync(viaGather[c.Rank], op), what + " gathered");
                        await Within.OnAllRanks(ringOnly, c => c.AllReduceAsync(viaRing[c.Rank], op), what + " ring");

                        for (int r = 0; r < n; r++)
                        {
                            Reference.AssertBitEqual(viaRing[r], viaGather[r], $"{what} rank {r}: gathered vs ring");
                        }
                    }
                }
            }
        }
        finally
        {
            await DisposeAsync(gathered);
            await DisposeAsync(ringOnly);
        }
    }

    [Fact]
    public async Task AtTheThreshold_Gathers_AndAboveIt_UsesTheRing_WithTheSameResult()
    {
        const int threshold = 4096;
        var ranks = await StartAsync("tcp", 3, _ => threshold);
        var ringOnly = await StartAsync("tcp", 3, _ => 0);
        try
        {
            foreach (long elements in new long[] { threshold / 4, (threshold / 4) + 1 })
            {
                var inputs = Reference.Inputs(3, [elements], ScalarType.Float32, seed: 3);
                var a = inputs.Select(x => x.clone()).ToArray();
                var b = inputs.Select(x => x.clone()).ToArray();
                await Within.OnAllRanks(ranks, c => c.AllReduceAsync(a[c.Rank], ReduceOp.Average), $"{elements} elements");
                await Within.OnAllRanks(ringOnly, c => c.AllReduceAsync(b[c.Rank], ReduceOp.Average), $"{elements} elements, ring");
                Reference.AssertBitEqual(b[0], a[0], $"{elements} elements");
            }
        }
        finally
        {
            await DisposeAsync(ranks);
            await DisposeAsync(ringOnly);
        }
    }

    [Fact]
    public async Task SumOfTwoNaNs_KeepsThePayloadTheRingKeeps_OwnCopyFirst()
    {
        // Adding two NaNs returns the first operand's payload, so only the ring's operand order (the receiving rank's
        // own copy first, the partial result second) gives the ring's bits.
        var gathered = await StartAsync("tcp", 3, _ => RingOptions.DefaultSmallAllReduceBytes);
        var ringOnly = await StartAsync("tcp", 3, _ => 0);
        try
        {
            var inputs = Reference.Inputs(3, [6], ScalarType.Float32, seed: 9);
            for (int r = 0; r < 3; r++)
            {
                var values = inputs[r].data<float>();
                for (int i = 0; i < 6; i++)
                {
                    values[i] = BitConverter.Int32BitsToSingle(0x7FC00000 | ((r + 1) << 8) | i); // a quiet NaN per rank and element
                }
            }
            var viaGather = inputs.Select(x => x.clone()).ToArray();
            var viaRing = inputs.Select(x => x.clone()).ToArray();

            await Within.OnAllRanks(gathered, c => c.AllReduceAsync(viaGather[c.Rank], ReduceOp.Sum), "NaN payloads, gathered");
            await Within.OnAllRanks(ringOnly, c => c.AllReduceAsync(viaRing[c.Rank], ReduceOp.Sum), "NaN payloads, ring");

            Assert.Equal(
                viaRing[0].data<float>().ToArray().Select(BitConverter.SingleToInt32Bits),
                viaGather[0].data<float>().ToArray().Select(BitConverter.SingleToInt32Bits));
        }
        finally
        {
            await DisposeAsync(gathered);
            await DisposeAsync(ringOnly);
        }
    }

    [Fact]
    public async Task SmallAllReduce_AfterDispose_ThrowsObjectDisposed()
    {
        var ranks = await StartAsync("tcp", 2, _ => RingOptions.DefaultSmallAllReduceBytes);
        await Within.OnAllRanks(ranks, c => c.AllReduceAsync(ones(3), ReduceOp.Sum), "a first small all-reduce");
        await DisposeAsync(ranks);

        await Assert.ThrowsAsync<ObjectDisposedException>(() => ranks[0].AllReduceAsync(ones(3), ReduceOp.Sum));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => ranks[0].AllReduceAsync(ones(3, dtype: ScalarType.Int64), ReduceOp.Sum));
    }

    [Fact]
    public async Task RanksWithDifferentThresholds_FailWithAMismatch_NotAHang()
    {
        var ranks = await StartAsync("tcp", 2, rank => rank == 0 ? 0 : RingOptions.DefaultSmallAllReduceBytes);
        var tensors = new[] { ones(10), ones(10) };

        var errors = await Within.Await(
            Task.WhenAll(ranks.Select(c => Task.Run(async () =>
            {
                try
                {
                    await c.AllReduceAsync(tensors[c.Rank], ReduceOp.Sum);
                    return null;
                }
                catch (Exception e)
                {
                    return e;
                }
            }))),
            "both ranks to fail well before the exchange timeout", TimeSpan.FromSeconds(10));

        Assert.All(errors, e => Assert.True(e is CollectiveMismatchException or CollectiveAbortedException, $"unexpected {e}"));
        Assert.Contains(errors, e => e is CollectiveMismatchException && e.Message.Contains("gathered", StringComparison.Ordinal));
        await DisposeAsync(ranks);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(RingOptions.MaxSmallAllReduceBytes + 1)]
    public void Validator_ThresholdOutOfRange_NamesTheKeyAndRange(int bytes)
    {
        var options = new RingOptions { Addresses = ["127.0.0.1:5000"], SmallAllReduceBytes = bytes };

        var failures = new RingOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Contains(failures, f => f.StartsWith($"Ring:SmallAllReduceBytes = {bytes} must be in [0, {RingOptions.MaxSmallAllReduceBytes}]", StringComparison.Ordinal));
    }

    private static Task<IReadOnlyList<RingCollectives>> StartAsync(string kind, int n, Func<int, int> threshold) =>
        Within.Await(LoopbackRing.StartAsync(Groups.Transport(kind), n, o =>
        {
            o.ChunkBytes = Groups.SmallChunkBytes;
            o.ExchangeTimeout = TimeSpan.FromSeconds(20);
            o.Token = Groups.Token;
            o.SmallAllReduceBytes = threshold(o.Rank);
        }), $"a {n}-rank {kind} ring to form");

    private static async Task DisposeAsync(IEnumerable<ICollectives> ranks)
    {
        foreach (var rank in ranks)
        {
            await Within.Await(rank.DisposeAsync().AsTask(), "shutdown");
        }
    }
}
