using Keyshift.Configuration;
using Keyshift.Stores;
using YamlDotNet.RepresentationModel;

namespace Keyshift.Tests.Support;

/// <summary>Builds a <see cref="StoreContext"/> from a YAML snippet, as keyshift.yaml would.</summary>
public static class SettingsFactory
{
    public static Settings Parse(string yaml, ErrorList? errors = null, string file = "keyshift.yaml", string fieldPath = "stores.test")
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return new Settings((YamlMappingNode)stream.Documents[0].RootNode, file, fieldPath, errors ?? new ErrorList());
    }

    public static StoreContext Store(string workspaceRoot, string yaml, string name = "test")
    {
        var errors = new ErrorList();
        var context = new StoreContext(name, Parse(yaml, errors, fieldPath: $"stores.{name}"), new Workspace(System.IO.Path.Combine(workspaceRoot, "keyshift.yaml")));
        return context;
    }
}
