using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Leap.Runs.Configuration;

/// <summary>
/// Finds configuration values of enum-typed properties that are not one of the enum's names, each reported with the
/// key's full path and the allowed values (the configuration binder's own error names neither the values nor the key's
/// options).
/// </summary>
public static class ConfigurationEnumCheck
{
    public static IReadOnlyList<string> InvalidValues(IConfigurationSection section, Type optionsType)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(optionsType);
        var problems = new List<string>();
        Walk(section, optionsType, problems);
        return problems;
    }

    private static void Walk(IConfigurationSection section, Type type, List<string> problems)
    {
        foreach (var child in section.GetChildren())
        {
            var childType = type.IsArray
                ? type.GetElementType()!
                : type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType;
            if (childType is null)
            {
                continue;
            }
            var enumType = Nullable.GetUnderlyingType(childType) ?? childType;
            if (enumType.IsEnum)
            {
                if (child.Value is { Length: > 0 } value && !IsName(enumType, value))
                {
                    problems.Add($"{child.Path} must be one of {string.Join(", ", Enum.GetNames(enumType))} (was '{value}').");
                }
            }
            else if (childType.IsArray || (childType.IsClass && childType != typeof(string)))
            {
                Walk(child, childType, problems);
            }
        }
    }

    private static bool IsName(Type enumType, string value) =>
        value.Split(',', StringSplitOptions.TrimEntries).All(part => Enum.GetNames(enumType).Contains(part, StringComparer.OrdinalIgnoreCase));
}
