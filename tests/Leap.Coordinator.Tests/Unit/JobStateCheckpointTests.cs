using Leap.Coordinator.Tests.Infrastructure;

namespace Leap.Coordinator.Tests.Unit;

public sealed class JobStateCheckpointTests
{
    [Fact]
    public async Task ReportCheckpoint_CommitsOnlyWhenEveryRankReportedTheStep()
    {
        using var context = new JobStateTestContext();
        await context.RegisterAllAsync();

        Assert.Equal(new CheckpointReport(false, 1), context.Job.ReportCheckpoint(1, 0, 100, "/ckpt/100/rank0"));
        Assert.Equal(new CheckpointReport(false, 1), context.Job.ReportCheckpoint(1, 1, 200, "/ckpt/200/rank1"));
        Assert.Equal(new CheckpointReport(false, 2), context.Job.ReportCheckpoint(1, 2, 100, "/ckpt/100/rank2"));
        Assert.Null(context.Job.LatestCommittedCheckpoint);

        var last = context.Job.ReportCheckpoint(1, 1, 100, "/ckpt/100/rank1");

        Assert.Equal(new CheckpointReport(true, 3), last);
        var committed = context.Job.LatestCommittedCheckpoint!;
        Assert.Equal((100L, 1L, 3), (committed.Step, committed.Generation, committed.WorldSize));
        Assert.Equal(["/ckpt/100/rank0", "/ckpt/100/rank1", "/ckpt/100/rank2"], committed.Paths);
    }

    [Fact]
    public async Task ReportCheckpoint_SameReportTwice_IsIdempotentAndAConflictingPathIsRefused()
    {
        using var context = new JobStateTestContext();
        await context.RegisterAllAsync();

        context.Job.ReportCheckpoint(1, 0, 100, "/a");
        Assert.Equal(new CheckpointReport(false, 1), context.Job.ReportCheckpoint(1, 0, 100, "/a"));
        var conflict = Assert.Throws<CoordinationException>(() => context.Job.ReportCheckpoint(1, 0, 100, "/b"));

        Assert.Equal("rank 0 already reported step 100 of generation 1 at '/a', not '/b'", conflict.Message);
    }

    [Fact]
    public async Task LatestCommittedCheckpoint_NewJobStateOnTheSameDirectory_IsRestoredAndGenerationsContinue()
    {
        using var directory = new TemporaryDirectory();
        CommittedCheckpoint committed;
        using (var before = new JobStateTestContext(stateDirectory: directory.Path))
        {
            await before.RegisterAllAsync();
            for (int rank = 0; rank < 3; rank++)
            {
                before.Job.ReportCheckpoint(1, rank, 300, $"/ckpt/300/rank{rank}");
            }
            committed = before.Job.LatestCommittedCheckpoint!;
        }

        using var after = new JobStateTestContext(stateDirectory: directory.Path);

        var restored = after.Job.LatestCommittedCheckpoint!;
        Assert.Equal((committed.Step, committed.Generation, committed.CommittedAt), (restored.Step, restored.Generation, restored.CommittedAt));
        Assert.Equal(committed.Paths, restored.Paths);
        Assert.Equal(2L, after.Job.GetStatus().Generation);
        Assert.Equal([], Directory.GetFiles(directory.Path, "*.tmp"));
    }

    [Fact]
    public async Task ReportCheckpoint_AfterTheGenerationEnded_IsRefusedAndNothingIsCommitted()
    {
        using var context = new JobStateTestContext();
        await context.RegisterAllAsync();
        context.Job.ReportCheckpoint(1, 0, 100, "/a");
        context.Job.ReportCheckpoint(1, 1, 100, "/b");
        context.Time.Advance(TestOptions.HeartbeatDeadline);

        Assert.Throws<CoordinationException>(() => context.Job.ReportCheckpoint(1, 2, 100, "/c"));
        Assert.Null(context.Job.LatestCommittedCheckpoint);
    }
}
