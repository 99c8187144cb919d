namespace Leap.Launch;

/// <summary>One child of a <see cref="ProcessGroup"/>: its current process and how to start it again.</summary>
public sealed class SupervisedProcess : IDisposable
{
    private readonly IReadOnlyList<string> _args;
    private readonly IReadOnlyDictionary<string, string>? _environment;

    internal SupervisedProcess(string name, IReadOnlyList<string> args, bool required, IReadOnlyDictionary<string, string>? environment)
    {
        Name = name;
        _args = args;
        _environment = environment;
        Required = required;
        Current = Start();
    }

    public string Name { get; }

    /// <summary>The group succeeds once every required child exited 0; the others are services, stopped at the end.</summary>
    public bool Required { get; }

    public ChildProcess Current { get; private set; }

    public int Restarts { get; private set; }

    internal void Restart()
    {
        Current.Dispose();
        Restarts++;
        Current = Start();
    }

    public void Dispose() => Current.Dispose();

    private ChildProcess Start()
    {
        var process = ChildProcess.Start(Name, _args, _environment);
        Console.Error.WriteLine($"launch: started {Name} (pid {process.Id})");
        return process;
    }
}
