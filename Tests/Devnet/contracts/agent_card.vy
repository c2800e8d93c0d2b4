# pragma version ~=0.4.3
"""
@title AgentCard types
@notice The A2A AgentCard as an ABI tuple, shared by Agent and AgentFactory.
        Vyper needs maximum sizes; they are generous but bounded so that a card fits in
        one block's gas. Sizes (bytes / elements):
          name 128, description 2048, url 512, version 64, protocolVersion 32,
          providerOrganization 256, providerUrl 512, iconUrl 512, documentationUrl 512,
          default input/output modes 8 x 128,
          skills 16: id 128, name 128, description 1024, tags 16 x 64, examples 8 x 256,
                     input/output modes 8 x 128,
          extensions 8: uri 512, description 512, params (JSON text) 2048,
          payments 8: scheme 32, network 64.
"""

struct Capabilities:
    streaming: bool
    pushNotifications: bool
    stateTransitionHistory: bool

struct Skill:
    id: String[128]
    name: String[128]
    description: String[1024]
    tags: DynArray[String[64], 16]
    examples: DynArray[String[256], 8]
    inputModes: DynArray[String[128], 8]
    outputModes: DynArray[String[128], 8]

struct Extension:
    uri: String[512]
    description: String[512]
    required: bool
    params: String[2048]

struct PaymentTerms:
    scheme: String[32]
    network: String[64]
    asset: address
    amount: uint256
    payTo: address

struct AgentCard:
    name: String[128]
    description: String[2048]
    url: String[512]
    version: String[64]
    protocolVersion: String[32]
    providerOrganization: String[256]
    providerUrl: String[512]
    iconUrl: String[512]
    documentationUrl: String[512]
    capabilities: Capabilities
    defaultInputModes: DynArray[String[128], 8]
    defaultOutputModes: DynArray[String[128], 8]
    skills: DynArray[Skill, 16]
    extensions: DynArray[Extension, 8]
    payments: DynArray[PaymentTerms, 8]
