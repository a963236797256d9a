// How the notebooks' values look, registered with Microsoft.DotNet.Interactive.Formatting, so the same formatters
// serve the Jupyter kernel (dotnet-interactive) and the headless runner (its in-process kernel). A notebook's setup
// cell calls NotebookFormatting.Register() once.
//   charts (Plotly.NET)         -> a full-width chart that draws offline (PlotlyHtml) + a one-line text summary
//   tables (Deedle frames)      -> an HTML table: no row of column types, numbers rounded, missing values empty
//   double / float              -> rounded for reading (Readable.Number), also inside the kernel's own tables
//   tensors (TorchSharp)        -> shape, dtype, device and values as text
using Deedle.Internal;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;
using TorchSharp;

namespace Compression.Notebooks.Display;

public static class NotebookFormatting
{
    const string Html = "text/html";
    const string Plain = "text/plain";

    public static void Register()
    {
        SharedAssemblies.Install();
        PlotlyHtml.ResetSession();
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(PlotlyHtml.Fragment(chart)), Html);
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(PlotlyHtml.Describe(chart)), Plain);
        Formatter.SetPreferredMimeTypesFor(typeof(GenericChart), Html, Plain);

        Formatter.Register<IFrameFormattable>((frame, writer) => writer.Write(FrameHtml.Frame(frame)), Html);
        Formatter.Register<IFrameFormattable>((frame, writer) => writer.Write(FrameHtml.FrameText(frame)), Plain);
        Formatter.Register<ISeriesFormattable>((series, writer) => writer.Write(FrameHtml.Series(series)), Html);

        Formatter.Register<double>((value, writer) => writer.Write(Readable.Number(value)), Html);
        Formatter.Register<double>((value, writer) => writer.Write(Readable.Number(value)), Plain);
        Formatter.Register<float>((value, writer) => writer.Write(Readable.Number(value)), Html);
        Formatter.Register<float>((value, writer) => writer.Write(Readable.Number(value)), Plain);

        Formatter.SetPreferredMimeTypesFor(typeof(torch.Tensor), Plain);
        Formatter.Register<torch.Tensor>((tensor, writer) =>
            writer.Write(tensor.IsInvalid ? "Tensor (disposed)" : tensor.ToString(TensorStringStyle.Julia)), Plain);
    }
}
