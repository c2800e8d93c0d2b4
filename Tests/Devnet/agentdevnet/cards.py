"""Sample AgentCards for the demo scenario: varied, realistic skills and x402 payment terms."""

ZERO = "0x" + "00" * 20


def skill(sid, name, description, tags, examples=(), inputs=(), outputs=()):
    return (sid, name, description, list(tags), list(examples), list(inputs), list(outputs))


def card(name, description, skills, *, url, payments=(), version="1.0.0", org="", org_url="",
         inputs=("text/plain",), outputs=("text/plain",), streaming=False, push=False, extensions=()):
    """An AgentCard tuple in ABI order."""
    return (
        name, description, url, version, "0.3.0", org, org_url,
        url.rstrip("/") + "/icon.png", url.rstrip("/") + "/docs",
        (streaming, push, False),
        list(inputs), list(outputs), list(skills), list(extensions), list(payments),
    )


def payment(network, asset, amount, pay_to, scheme="exact"):
    return (scheme, network, asset, amount, pay_to)


def demo_cards(usdc, pay_to):
    """22 cards. `pay_to(i)` gives the payTo address of card i."""
    U = lambda dollars: int(dollars * 1_000_000)  # noqa: E731 - USDC has 6 decimals
    specs = [
        ("LexTranslate", "Translates legal PDFs (contracts, court filings) between English and German with terminology checks.",
         [skill("translate-legal", "Legal translation", "Translate legal documents from English to German and back, preserving clause numbering.",
                ["translation", "legal", "german", "pdf"], ["Translate this NDA into German"], ["application/pdf", "text/plain"], ["application/pdf", "text/plain"])],
         [payment("base", usdc, U(2.5), 0)], ("application/pdf",), ("application/pdf",), "Lex GmbH"),
        ("PolyglotMT", "General machine translation for 40 languages with glossary support.",
         [skill("translate", "Translation", "Translate text between 40 languages.", ["translation", "multilingual"], ["Translate to Spanish: good morning"]),
          skill("glossary", "Glossary extraction", "Extract bilingual term lists from documents.", ["terminology", "translation"])],
         [payment("base", usdc, U(0.05), 1)], ("text/plain",), ("text/plain",), "Polyglot Labs"),
        ("CodeReviewer", "Reviews pull requests for bugs, security issues and style; explains findings.",
         [skill("code-review", "Code review", "Review a diff and report bugs and risky patterns.", ["code", "review", "security"], ["Review this Swift diff"], ["text/x-diff"], ["text/markdown"])],
         [payment("base", usdc, U(1), 2)], ("text/x-diff",), ("text/markdown",), "DevTools Inc"),
        ("SQLSage", "Turns questions into SQL for PostgreSQL and SQLite and explains query plans.",
         [skill("text-to-sql", "Text to SQL", "Write SQL from a natural-language question and a schema.", ["sql", "database", "analytics"], ["Top 10 customers by revenue"])],
         [payment("base", usdc, U(0.2), 3)], ("text/plain",), ("application/sql",), "DataWorks"),
        ("PixelForge", "Generates product images and illustrations from text prompts.",
         [skill("image-gen", "Image generation", "Create images from prompts in several styles.", ["image", "generation", "art"], ["A watercolor fox"], ["text/plain"], ["image/png"])],
         [payment("base", usdc, U(0.4), 4)], ("text/plain",), ("image/png",), "Forge AI"),
        ("SummarizeIt", "Summarizes long reports, papers and meeting transcripts into key points.",
         [skill("summarize", "Summarization", "Summarize documents into bullet points.", ["summarization", "nlp"], ["Summarize this 40-page report"], ["application/pdf", "text/plain"], ["text/plain"])],
         [payment("base", usdc, U(0.1), 5)], ("application/pdf", "text/plain"), ("text/plain",), ""),
        ("TravelPlanner", "Plans trips: flights, trains and hotels within a budget.",
         [skill("trip-plan", "Trip planning", "Build an itinerary with bookings.", ["travel", "booking"], ["Three days in Lisbon under 800 EUR"])],
         [payment("ethereum", ZERO, 10**15, 6)], ("text/plain",), ("application/json",), "Wander Co"),
        ("WeatherOracle", "Hyperlocal weather forecasts and severe-weather alerts.",
         [skill("forecast", "Forecast", "Hourly forecasts for coordinates.", ["weather", "forecast"], ["Rain in Berlin tomorrow?"])],
         [], ("application/json",), ("application/json",), ""),
        ("InvoiceParser", "Extracts line items, totals and VAT from invoices (PDF and images).",
         [skill("invoice-extract", "Invoice extraction", "Extract structured data from invoices.", ["ocr", "finance", "pdf"], [], ["application/pdf", "image/png"], ["application/json"])],
         [payment("base", usdc, U(0.15), 8)], ("application/pdf", "image/png"), ("application/json",), "LedgerAI"),
        ("ContractAuditor", "Audits Solidity and Vyper smart contracts for vulnerabilities.",
         [skill("audit", "Smart contract audit", "Find reentrancy, overflow and access-control bugs.", ["security", "solidity", "vyper", "audit"])],
         [payment("base", usdc, U(50), 9)], ("text/plain",), ("text/markdown",), "ChainSec"),
        ("SentimentScope", "Sentiment and emotion analysis for reviews and social posts.",
         [skill("sentiment", "Sentiment analysis", "Classify sentiment of texts.", ["nlp", "sentiment", "analytics"])],
         [payment("base", usdc, U(0.01), 10)], ("text/plain",), ("application/json",), ""),
        ("MedScribe", "Drafts clinical notes from doctor-patient conversation transcripts.",
         [skill("clinical-notes", "Clinical notes", "Turn transcripts into SOAP notes.", ["medical", "transcription"])],
         [payment("base", usdc, U(3), 11)], ("audio/wav", "text/plain"), ("text/plain",), "MedAI"),
        ("VoiceDub", "Speech-to-speech dubbing into German, French and Spanish.",
         [skill("dubbing", "Dubbing", "Dub audio into another language.", ["audio", "translation", "german"], [], ["audio/wav"], ["audio/wav"])],
         [payment("base", usdc, U(5), 12)], ("audio/wav",), ("audio/wav",), "", ),
        ("ResearchScout", "Finds and summarizes academic papers on a topic with citations.",
         [skill("lit-search", "Literature search", "Search papers and summarize findings.", ["research", "summarization", "citations"])],
         [payment("base", usdc, U(0.5), 13)], ("text/plain",), ("text/markdown",), "Scout Labs"),
        ("DataCleaner", "Cleans CSV datasets: deduplication, type inference, outliers.",
         [skill("csv-clean", "CSV cleaning", "Clean and normalise CSV files.", ["data", "csv", "analytics"], [], ["text/csv"], ["text/csv"])],
         [payment("base", usdc, U(0.3), 14)], ("text/csv",), ("text/csv",), ""),
        ("TaxHelper", "Answers German and EU VAT questions and prepares filings.",
         [skill("vat", "VAT advice", "Explain VAT rules for cross-border sales.", ["tax", "finance", "german", "legal"])],
         [payment("base", usdc, U(2), 15)], ("text/plain",), ("text/plain",), "TaxBot GmbH"),
        ("ChartMaker", "Creates charts from data and descriptions.",
         [skill("charts", "Chart generation", "Render charts as SVG or PNG.", ["data", "visualization"], [], ["text/csv"], ["image/svg+xml", "image/png"])],
         [payment("base", usdc, U(0.05), 16)], ("text/csv",), ("image/png",), ""),
        ("SupportBot", "Customer-support agent that answers from a knowledge base.",
         [skill("support", "Customer support", "Answer customer questions with citations.", ["support", "chat"])],
         [payment("base", usdc, U(0.02), 17)], ("text/plain",), ("text/plain",), "HelpDesk AI"),
        ("SecurityScanner", "Scans web applications for OWASP top-10 issues.",
         [skill("web-scan", "Web scan", "Scan a URL for vulnerabilities.", ["security", "web"])],
         [payment("base", usdc, U(10), 18)], ("text/plain",), ("application/json",), "ChainSec"),
        ("RecipeChef", "Suggests recipes from ingredients and dietary needs.",
         [skill("recipes", "Recipe suggestions", "Suggest recipes.", ["food", "cooking"])],
         [], ("text/plain",), ("text/plain",), ""),
        ("PatentSearch", "Searches patent databases and drafts prior-art reports in English and German.",
         [skill("prior-art", "Prior-art search", "Find prior art for an invention.", ["legal", "patents", "research", "german"])],
         [payment("base", usdc, U(20), 20)], ("text/plain", "application/pdf"), ("application/pdf",), "IP Partners"),
        ("ScheduleAssistant", "Finds meeting times across calendars and time zones.",
         [skill("scheduling", "Scheduling", "Propose meeting slots.", ["calendar", "productivity"])],
         [payment("base", usdc, U(0.01), 21)], ("text/plain",), ("text/calendar",), ""),
    ]
    out = []
    for i, (name, desc, skills, pays, ins, outs, org) in enumerate(specs):
        pays = [payment(p[1], p[2], p[3], pay_to(i)) for p in pays]
        out.append(card(name, desc, skills, url=f"https://agents.example/{name.lower()}/",
                        payments=pays, org=org, org_url=f"https://{org.split()[0].lower()}.example" if org else "",
                        inputs=ins, outputs=outs, streaming=(i % 3 == 0), push=(i % 5 == 0)))
    return out


def standalone_cards(usdc, pay_to):
    return [
        card("IndieTranslator", "Independent agent translating marketing copy into German and French.",
             [skill("marketing-translate", "Marketing translation", "Translate marketing copy.", ["translation", "german", "marketing"])],
             url="https://indie.example/agent/", payments=[payment("base", usdc, 300_000, pay_to(0))]),
        card("GraphAnalyst", "Analyses on-chain transaction graphs for fraud patterns.",
             [skill("graph-analysis", "Graph analysis", "Detect suspicious flows.", ["analytics", "security", "blockchain"])],
             url="https://graph.example/agent/", payments=[payment("base", usdc, 1_000_000, pay_to(1))]),
        card("DelistedBot", "Answers questions about a retired product line; its curator revoked it.",
             [skill("legacy-support", "Legacy support", "Answer questions about retired products.", ["support"])],
             url="https://delisted.example/agent/"),
    ]


def oversized_card(usdc, pay_to):
    """A card whose name is four times the indexer's 256-byte limit."""
    return card("Oversized" * 120, "A card that breaks the name limit.", [], url="https://oversized.example/")


def max_card(usdc, pay_to):
    """A card with every field at the reference contracts' maximum size (see agent_card.vy): the
    indexer must accept it whole."""
    def text(prefix, size):
        return (prefix + "x" * size)[:size]

    def url(size):
        return text("https://max.example/", size)

    skills = [skill(text(f"skill-{i}-", 128), text(f"Skill {i} ", 128), text("Does everything. ", 1024),
                    [text(f"tag{i}-{t}-", 64) for t in range(16)], [text(f"example {e} ", 256) for e in range(8)],
                    [text(f"text/in-{m}-", 128) for m in range(8)], [text(f"text/out-{m}-", 128) for m in range(8)])
              for i in range(16)]
    extensions = [(url(512), text("An extension. ", 512), e % 2 == 0, '{"k":"' + "v" * 2040 + '"}') for e in range(8)]
    payments = [payment(text("eip155:31337:", 64), usdc, 10**6 + p, pay_to(900 + p), scheme=text("exact", 32)) for p in range(8)]
    return (text("Max ", 128), text("A card at every maximum. ", 2048), url(512), text("1.", 64), text("0.3.", 32),
            text("Max Org ", 256), url(512), url(512), url(512), (True, True, True),
            [text(f"text/default-in-{m}-", 128) for m in range(8)], [text(f"text/default-out-{m}-", 128) for m in range(8)],
            skills, extensions, payments)
