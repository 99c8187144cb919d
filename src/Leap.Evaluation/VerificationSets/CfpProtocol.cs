namespace Leap.Evaluation.VerificationSets;

/// <summary>The two CFP verification protocols: frontal against frontal (FF) and frontal against profile (FP).</summary>
public enum CfpProtocol
{
    FrontalFrontal,
    FrontalProfile,
}
