using Microsoft.AspNetCore.Components;

namespace Fulcrum.Server.Console.Shell;

/// <summary>
/// A page that shows live state: it loads once, then again on every <see cref="ClusterEvents"/> change it
/// <see cref="Wants"/> and when the working project changes. Changes that arrive during a load are folded into one
/// more load, so a burst of heartbeats costs two reads, not one per heartbeat.
/// </summary>
public abstract class LiveComponent : ComponentBase, IDisposable
{
    private readonly Lock _gate = new();
    private IDisposable? _subscription;
    private bool _loading;
    private bool _again;
    private bool _disposed;

    [Inject]
    protected ClusterEvents Events { get; set; } = default!;

    [Inject]
    protected ConsoleSession Session { get; set; } = default!;

    [Inject]
    protected ConsoleOperations Operations { get; set; } = default!;

    /// <summary>Why the last load was refused (not allowed, not found), in words; null when it worked.</summary>
    protected string? LoadProblem { get; private set; }

    protected override async Task OnInitializedAsync()
    {
        await LoadOrExplainAsync();
        _subscription = Events.Subscribe(OnChangeAsync);
        Session.ProjectChanged += OnProjectChanged;
    }

    /// <summary>Reads what the page shows; called on the renderer's context.</summary>
    protected abstract Task LoadAsync();

    /// <summary>Which changes make the page read again; every one by default (the tick included).</summary>
    protected virtual bool Wants(ClusterChange change) => true;

    /// <summary>Reads again now, e.g. after the page's own write.</summary>
    protected Task ReloadAsync() => OnChangeAsync(ClusterChange.Tick, force: true);

    public void Dispose()
    {
        _disposed = true;
        _subscription?.Dispose();
        Session.ProjectChanged -= OnProjectChanged;
        GC.SuppressFinalize(this);
    }

    private void OnProjectChanged() => _ = ReloadAsync();

    private async Task LoadOrExplainAsync()
    {
        try
        {
            await LoadAsync();
            LoadProblem = null;
        }
        catch (Exception e) when (FormProblems.TryFrom(e, out var problems))
        {
            LoadProblem = problems.Summary;
        }
    }

    private Task OnChangeAsync(ClusterChange change) => OnChangeAsync(change, force: false);

    private async Task OnChangeAsync(ClusterChange change, bool force)
    {
        if (_disposed || (!force && !Wants(change)))
        {
            return;
        }

        lock (_gate)
        {
            if (_loading)
            {
                _again = true;
                return;
            }

            _loading = true;
        }

        try
        {
            bool again;
            do
            {
                await InvokeAsync(async () =>
                {
                    await LoadOrExplainAsync();
                    StateHasChanged();
                });
                lock (_gate)
                {
                    again = _again && !_disposed;
                    _again = false;
                    _loading = again;
                }
            }
            while (again);
        }
        catch
        {
            lock (_gate)
            {
                _loading = false;
            }

            throw;
        }
    }
}
