// A display that can be replaced in place while a cell runs (one progress line instead of hundreds). The kernel's own
// handle, display(x).Update(y), does not reach its display in dotnet-interactive 1.0.712001: the update carries
// another display id than the display it belongs to, so Jupyter (and the runner) ignore it. This publishes the two
// kernel events itself, with one id, on the running cell's invocation context.
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace Compression.Notebooks.Display;

public sealed class LiveDisplay
{
    readonly KernelInvocationContext context;
    readonly string[] mimeTypes;

    public string DisplayId { get; } = Guid.NewGuid().ToString("N");

    LiveDisplay(KernelInvocationContext context, string[] mimeTypes)
    {
        this.context = context;
        this.mimeTypes = mimeTypes;
    }

    /// <summary>Shows <paramref name="value"/> in the running cell; null outside a kernel (e.g. a unit test), where nothing is shown.</summary>
    public static LiveDisplay? Show(object value, params string[] mimeTypes)
    {
        if (KernelInvocationContext.Current is not { } context) return null;
        var display = new LiveDisplay(context, mimeTypes.Length > 0 ? mimeTypes : ["text/plain"]);
        context.Publish(new DisplayedValueProduced(value, context.Command, display.Format(value), display.DisplayId));
        return display;
    }

    /// <summary>Replaces what the display shows; from a later cell too (then published on that cell's context).</summary>
    public void Update(object value)
    {
        var on = KernelInvocationContext.Current is { IsComplete: false } now ? now : context;
        on.Publish(new DisplayedValueUpdated(value, DisplayId, on.Command, Format(value)));
    }

    IReadOnlyCollection<FormattedValue> Format(object value) => FormattedValue.CreateManyFromObject(value, mimeTypes);
}
