namespace Leap.Runs.Configuration;

/// <summary>A configuration problem the user must fix; the message names the key(s).</summary>
public sealed class ConfigurationException(string message) : Exception(message);
