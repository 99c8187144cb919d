namespace Leap.Collectives;

public enum ReduceOp
{
    Sum,
    Average,
    Max,
    Min,
}
