namespace Leap.Worker;

/// <summary>What a worker process needs besides the training configuration.</summary>
/// <param name="CoordinatorUrl">e.g. http://127.0.0.1:5100</param>
/// <param name="JobId">Job the worker joins.</param>
/// <param name="WorldSize">Workers the job expects.</param>
/// <param name="PeerHost">Host name other workers reach this one at.</param>
/// <param name="PeerPort">Port of this worker's collective (ring) peer service.</param>
/// <param name="RequestedRank">Rank to ask for (e.g. a launcher slot or a k8s completion index), or null.</param>
/// <param name="CentreServiceUrl">The class-centre / angle-memory service, or null to keep statistics in-process.</param>
/// <param name="Transport">Transport of the collective ring between workers.</param>
/// <param name="Security">The shared token (sent to the coordinator and centre service, required of ring peers) and trusted CA; null = none.</param>
/// <param name="MetricsPort">Port of the worker's Prometheus /metrics (HTTP/1.1, bound like the peer host); 0 = off.</param>
public sealed record WorkerSettings(string CoordinatorUrl, string JobId, int WorldSize, string PeerHost, int PeerPort, int? RequestedRank = null,
    string? CentreServiceUrl = null, Leap.Collectives.Ring.RingTransport Transport = Leap.Collectives.Ring.RingTransport.Tcp,
    Leap.Security.ClientSecurity? Security = null, int MetricsPort = 0);
