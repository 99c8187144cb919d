using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Leap.Runs.Configuration;

/// <summary>Finds configuration keys that no property of the options type binds to, with their full path.</summary>
public static class ConfigurationKeyCheck
{
    public static IReadOnlyList<string> UnknownKeys(IConfigurationSection section, Type optionsType)
    {
        ArgumentNullException.ThrowIfNull(section);
        var unknown = new List<string>();
        Walk(section, optionsType, unknown);
        return unknown;
    }

    private static void Walk(IConfigurationSection section, Type type, List<string> unknown)
    {
        foreach (var child in section.GetChildren())
        {
            if (type.IsArray)
            {
                var element = type.GetElementType()!;
                if (!int.TryParse(child.Key, out _))
                {
                    unknown.Add(child.Path);
                }
                else if (element.IsClass && element != typeof(string))
                {
                    Walk(child, element, unknown);
                }
                continue;
            }
            var property = type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || !property.CanWrite)
            {
                unknown.Add(child.Path);
                continue;
            }
            var propertyType = property.PropertyType;
            if (propertyType.IsArray || (propertyType.IsClass && propertyType != typeof(string)))
            {
                Walk(child, propertyType, unknown);
            }
            else if (child.GetChildren().Any())
            {
                unknown.AddRange(child.GetChildren().Select(c => c.Path));
            }
        }
    }
}
