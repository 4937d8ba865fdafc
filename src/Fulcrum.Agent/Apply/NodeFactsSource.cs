using Fulcrum.Agent.Enrolment;
using Fulcrum.Agent.Processes;
using Fulcrum.Core.Snapshots;
using Fulcrum.Dataplane;

namespace Fulcrum.Agent.Apply;

/// <summary>The node's own facts for the renderers: its id, its runtime directory and how keepalived reaches the agent.</summary>
public sealed class NodeFactsSource(NodeCredential credential, StateDirectory state, DataplaneBinaries binaries)
{
    public NodeFacts For(ClusterSnapshot snapshot) => new(credential.NodeId, state.Runtime, NotifyCommand(), binaries.NginxModules);

    /// <summary>keepalived runs <c>fulcrum-agent notify</c> on every VRRP state change; it appends the state as arguments.</summary>
    private List<string> NotifyCommand()
    {
        var host = Environment.ProcessPath ?? "dotnet";
        // Started as `dotnet fulcrum-agent.dll` the first argument is the assembly; a published single file is the program itself.
        var command = Path.GetFileNameWithoutExtension(host) == "dotnet" ? new List<string> { host, Environment.GetCommandLineArgs()[0] } : [host];
        command.AddRange(["notify", "--state-dir", state.Path, "--runtime-dir", state.Runtime]);
        return command;
    }
}
