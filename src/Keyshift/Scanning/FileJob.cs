namespace Keyshift.Scanning;

/// <summary>One file handed to a scanning worker, and what the worker found in it (see <see cref="Scanner"/>).</summary>
internal sealed class FileJob(string fullPath, string displayPath)
{
    public string FullPath { get; } = fullPath;

    public string DisplayPath { get; } = displayPath;

    public List<Finding> Found { get; } = [];

    public List<InputNote> Notes { get; } = [];

    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
