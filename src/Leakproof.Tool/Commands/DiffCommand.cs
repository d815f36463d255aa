using System.CommandLine;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Leakproof.Census;
using Leakproof.Tool.Cli;
using Leakproof.Tool.Diff;

namespace Leakproof.Tool.Commands;

/// <summary><c>diff</c>: what changed, by await site, between two census JSON files.</summary>
internal static class DiffCommand
{
    public static Command Create(ToolConsole console)
    {
        var first = new Argument<string>("before") { Description = "The earlier census (JSON written by 'census --format json')." };
        var second = new Argument<string>("after") { Description = "The later census." };
        var format = new Option<string>("--format", "-f") { Description = "The output format.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("diff", "Compare two censuses by await site: which sites grew, shrank, appeared or vanished.");
        command.Arguments.Add(first);
        command.Arguments.Add(second);
        command.Options.Add(format);
        command.SetAction(async (parse, cancellationToken) =>
        {
            CensusSnapshot before = await LoadAsync(parse.GetValue(first)!, cancellationToken).ConfigureAwait(false);
            CensusSnapshot after = await LoadAsync(parse.GetValue(second)!, cancellationToken).ConfigureAwait(false);
            var changes = CensusDiff.Compare(before, after);
            await console.Out.WriteAsync(parse.GetValue(format) == "json" ? CensusDiff.ToJson(changes) : CensusDiff.ToText(changes, before, after)).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static async Task<CensusSnapshot> LoadAsync(string path, CancellationToken cancellationToken)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, useAsync: true);
        }
        catch (System.Exception ex) when (ex is IOException or System.UnauthorizedAccessException)
        {
            throw new ToolException(ExitCodes.Usage, $"cannot read '{path}': {ex.Message}", ex);
        }

        await using (file.ConfigureAwait(false))
        {
            try
            {
                CensusSnapshot snapshot = await CensusSnapshot.FromJsonAsync(file, cancellationToken).ConfigureAwait(false);
                if (snapshot.SchemaVersion is < 1 or > CensusSnapshot.CurrentSchemaVersion)
                {
                    throw new ToolException(ExitCodes.Usage, $"'{path}' is a census of schema version {snapshot.SchemaVersion}; this tool reads versions 1 to {CensusSnapshot.CurrentSchemaVersion}");
                }

                return snapshot;
            }
            catch (JsonException ex)
            {
                throw new ToolException(ExitCodes.Usage, $"'{path}' is not a census JSON file: {ex.Message}", ex);
            }
            catch (IOException ex)
            {
                throw new ToolException(ExitCodes.Usage, $"cannot read '{path}': {ex.Message}", ex);
            }
        }
    }
}
