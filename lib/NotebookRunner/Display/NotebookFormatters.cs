// Formatter set-up the runner does before a notebook runs, standing in for .NET Interactive's defaults and for the
// extension packages that are unavailable here (Plotly.NET.Interactive, Deedle.DotNetInteractive, TorchSharp's).
using Deedle.Internal;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;
using TorchSharp;

namespace NotebookRunner.Display;

public static class NotebookFormatters
{
    public static void Configure()
    {
        Formatter.ResetToDefault();
        Formatter.DefaultMimeType = MimeBundle.Html;
        Formatter.SetPreferredMimeTypesFor(typeof(string), MimeBundle.PlainText);

        Formatter.Register<GenericChart>((chart, writer) => writer.Write(PlotlyFragment.ForNotebook(chart)), MimeBundle.Html);
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(PlotlyFragment.Describe(chart)), MimeBundle.PlainText);

        Formatter.Register<IFrameFormattable>((frame, writer) => writer.Write(DeedleHtml.Frame(frame)), MimeBundle.Html);
        Formatter.Register<IFrameFormattable>((frame, writer) => writer.Write(PlainDeedle(frame)), MimeBundle.PlainText);
        Formatter.Register<ISeriesFormattable>((series, writer) => writer.Write(DeedleHtml.Series(series)), MimeBundle.Html);
        Formatter.Register<ISeriesFormattable>((series, writer) => writer.Write(PlainDeedle(series)), MimeBundle.PlainText);

        Formatter.SetPreferredMimeTypesFor(typeof(torch.Tensor), MimeBundle.PlainText);
        Formatter.Register<torch.Tensor>((tensor, writer) => writer.Write(TensorText(tensor)), MimeBundle.PlainText);
    }

    static string PlainDeedle(object value) => value is IFsiFormattable f ? f.Format() : value.ToString() ?? "";

    /// <summary>Shape, dtype and device, then the values in TorchSharp's Julia style (it elides large tensors).</summary>
    static string TensorText(torch.Tensor tensor) =>
        tensor.IsInvalid ? "Tensor (disposed)" : tensor.ToString(TensorStringStyle.Julia);
}
