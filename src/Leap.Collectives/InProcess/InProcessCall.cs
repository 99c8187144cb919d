using static TorchSharp.torch;

namespace Leap.Collectives.InProcess;

/// <summary>One rank's arguments to one collective: what it was called with and where its result goes.</summary>
internal sealed record InProcessCall(string Signature, Tensor? Input, Tensor? Output);
