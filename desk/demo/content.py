"""What the demo is made of: the hand-written content of Brightline IT's workspace.

Plain data, no database: the agents and teams, the spaces with their lists and statuses, the
clients and customers, the catalogue with its checklist templates, the support queries and
their conversation snippets, the hand-written tasks and recurring series, and the word lists
and weights that generated tasks are drawn from. `ADMIN` in these tables stands for the agent
passed to `desk.demo.build`.
"""

from __future__ import annotations

from dataclasses import dataclass

COMPANY = "Brightline IT"
DOMAIN = "brightline.example"
ADMIN = "@admin"  # stands for the agent passed to build() in the tables below

# username, name, e-mail local part, role, teams
AGENTS = (
    ("maria", "Maria Keller", "maria.keller", "agent", ("Support", "Accounts")),
    ("jonas", "Jonas Weber", "jonas.weber", "agent", ("Fulfilment",)),
    ("priya", "Priya Raman", "priya.raman", "agent", ("Accounts", "Billing")),
    ("tom", "Tom Okafor", "tom.okafor", "agent", ("Support",)),
    ("li", "Li Wei", "li.wei", "agent", ("Support", "Fulfilment")),
    ("sam", "Sam Fischer", "sam.fischer", "viewer", ("Billing",)),
)
ADMIN_TEAMS = ("Support", "Accounts")
TEAMS = ("Support", "Fulfilment", "Accounts", "Billing")
SUPPORT_AGENTS = (ADMIN, "maria", "tom", "li")
FULFILMENT_AGENTS = ("jonas", "li")
MANAGERS = (ADMIN, "maria", "priya")

HELPDESK = (("New", "open"), ("Open", "active"), ("Waiting on customer", "active"),
            ("Resolved", "done"), ("Closed", "closed"))
ORDER_FLOW = (("Received", "open"), ("In progress", "active"), ("Fulfilled", "done"),
              ("Invoiced", "closed"))
THREE_STEPS = (("To do", "open"), ("Doing", "active"), ("Done", "done"))
BILLING_FLOW = (("To do", "open"), ("In progress", "active"), ("Done", "done"),
                ("Cancelled", "closed"))
INTERNAL_FLOW = (("To do", "open"), ("In progress", "active"), ("Done", "done"),
                 ("Dropped", "closed"))
# space, its lists (name, statuses, team that works it)
SPACES = (
    ("Support", (("Support inbox", HELPDESK, "Support"),)),
    ("Sales", (("Orders", ORDER_FLOW, "Fulfilment"), ("Accounts", THREE_STEPS, "Accounts"))),
    ("Finance", (("Billing", BILLING_FLOW, "Billing"),)),
    ("Internal", (("Internal", INTERNAL_FLOW, None),)),
)

CLIENT_TAGS = ("vip", "enterprise", "smb", "nonprofit", "healthcare", "hospitality",
               "education", "partner", "newsletter")
TASK_TAGS = ("access", "backup", "billing", "email", "hardware", "how-to", "network", "printer",
             "renewal", "security", "seo", "website", "onboarding", "invoice")


@dataclass(frozen=True)
class ClientSpec:
    """A hand-written client or customer."""

    kind: str
    name: str
    contact: str
    email: str
    phone: str
    stage: str
    manager: str | None = None
    retainer: tuple[str, str] | None = None
    cadence: int | None = None
    tags: tuple[str, ...] = ()
    confidential: bool = False
    referrer: str | None = None
    needs: tuple[str, ...] = ()
    note: str = ""


def _client(name, contact, email, phone, stage, manager, retainer, cadence, tags, needs, note,
            *, confidential=False, referrer=None) -> ClientSpec:
    """A long-term client (retainer, account manager, requirements document)."""
    return ClientSpec("client", name, contact, email, phone, stage, manager, retainer, cadence,
                       tags, confidential, referrer, needs, note)


def _customer(name, contact, email, phone, stage, tags=(), referrer=None, note="",
              manager=None) -> ClientSpec:
    """A transactional customer."""
    return ClientSpec("customer", name, contact, email, phone, stage, manager, None, None,
                       tags, False, referrer, (), note)


CLIENTS = (
    _client("Hartwell & Sons Joinery", "George Hartwell", "george@hartwell-joinery.example",
            "+44 161 496 0312", "active", "maria", ("450.00", "monthly"), 21, ("smb",),
            ("Keep the portfolio website (WordPress) patched and backed up",
             "Quote requests from the website go to both george@ and office@",
             "Replace the six workshop laptops on a four-year cycle"),
            "George prefers a phone call to e-mail, and never before 9:00: the workshop is "
            "loud until then."),
    _client("Bluefin Logistics", "Sandra Kovač", "s.kovac@bluefin-logistics.example",
            "+44 20 7946 0418", "active", "priya", ("2400.00", "monthly"), 14,
            ("enterprise", "vip"),
            ("On-call support for the dispatch system, around the clock",
             "Security patches only in the Sunday 06:00-08:00 window",
             "Quarterly business review with ticket statistics"),
            "Every change to the dispatch PCs needs Sandra's written OK first."),
    _client("Northgate Dental Practice", "Dr Amir Sadeghi", "practice@northgate-dental.example",
            "+44 113 496 0271", "active", "maria", ("600.00", "monthly"), 30,
            ("healthcare", "smb"),
            ("Patient records never leave the practice network",
             "Encrypted backups, test-restored every month",
             "Reception PCs locked down, no USB storage"),
            "Confidential: patient data. Only Maria and the admin handle this account.",
            confidential=True),
    _client("Aurora Yoga Studio", "Lena Brandt", "hello@aurora-yoga.example", "+44 117 496 0145",
            "onboarding", ADMIN, ("300.00", "monthly"), 30, ("smb", "newsletter"),
            ("Class booking widget on the website, synced with the timetable",
             "Newsletter sign-up that feeds the mailing list",
             "Timetable page updated every Monday"),
            "Referred by George Hartwell. Lena answers e-mail in the evenings, between classes.",
            referrer="Hartwell & Sons Joinery"),
    _client("Kestrel Architects", "Oliver Grant", "oliver.grant@kestrel-architects.example",
            "+44 20 7946 0563", "active", "priya", ("1500.00", "quarterly"), 21, ("vip",),
            ("Support for four CAD workstations and the large-format plotter",
             "NAS with a nightly off-site backup",
             "New starters ready on day one: laptop, accounts, plotter driver"),
            "Deadlines cluster at month end: no maintenance in the last week of a month."),
    _client("Meadowbrook Veterinary Clinic", "Dr Hannah Moss",
            "hannah.moss@meadowbrook-vets.example", "+44 191 498 0227", "at_risk", "maria",
            ("550.00", "monthly"), 14, ("healthcare",),
            ("Practice software upgrades outside opening hours",
             "VoIP phones for reception and the two consulting rooms",
             "Same-day response for anything that stops appointments"),
            "At risk after two slow tickets in a row. Hannah wants a call every fortnight."),
    _client("Copperleaf Bakery", "Marco Bianchi", "marco@copperleaf-bakery.example",
            "+44 117 496 0388", "active", ADMIN, ("180.00", "monthly"), 30,
            ("smb", "hospitality"),
            ("Online pre-order form for celebration cakes",
             "Receipt printer and card terminal on the till",
             "Instagram feed on the home page"),
            "The shop opens at 6:30; call Marco after the lunch rush, around 14:00.",
            referrer="Aurora Yoga Studio"),
    _client("Lindqvist Legal", "Karin Lindqvist", "k.lindqvist@lindqvist-legal.example",
            "+44 20 7946 0691", "active", "priya", ("1200.00", "monthly"), 14, ("vip",),
            ("Encrypted e-mail for client correspondence",
             "Document management with access logs",
             "Encrypted laptops with remote wipe"),
            "Confidential: legal privilege. Never name their clients in a ticket.",
            confidential=True),
    _client("Harbourview Hotel", "Sean Gallagher", "sean.gallagher@harbourview-hotel.example",
            "+44 191 498 0450", "active", "maria", ("1900.00", "monthly"), 14,
            ("hospitality", "enterprise"),
            ("Guest Wi-Fi in all 48 rooms and the conference suite",
             "Booking engine linked to the property management system",
             "Front desk PCs and the key card encoder"),
            "The front desk is staffed day and night; book planned work with Sean a week ahead."),
    _client("Greenfield Community Trust", "Ruth Adeyemi", "ruth@greenfield-trust.example",
            "+44 113 496 0519", "active", ADMIN, ("250.00", "quarterly"), 30, ("nonprofit",),
            ("Donation page with Gift Aid", "Shared volunteer rota",
             "Charity rate: 20% off all project work"),
            "Volunteers come and go: closing their accounts quickly matters most."),
    _client("Atlas Freight Brokers", "Viktor Stoyanov", "viktor@atlas-freight.example",
            "+44 20 7946 0734", "churned", "priya", None, 30, ("enterprise",),
            ("Warehouse Wi-Fi and handheld scanners",
             "Remote access for brokers working from home"),
            "Moved to an in-house IT team in the spring. Keep in touch for project work."),
    _client("Solstice Solar Installations", "Emma Lindberg", "emma@solstice-solar.example",
            "+44 117 496 0602", "onboarding", "priya", ("800.00", "quarterly"), 21, ("smb",),
            ("Tablets for the installation crews, with the survey app",
             "Shared calendar for site visits", "Move e-mail from the old provider"),
            "Referred by Bluefin. The crews are on roofs all day; Emma is free 8:00-9:00.",
            referrer="Bluefin Logistics"),
    _client("Whitmore Accountancy", "Rebecca Whitmore", "rebecca@whitmore-accountancy.example",
            "+44 161 496 0677", "active", "priya", ("700.00", "monthly"), 21, ("smb", "partner"),
            ("Extra support hours from January to April (tax season)",
             "Secure client portal for document uploads", "Backups kept for seven years"),
            "Partner: they send us clients and we send bookkeeping work their way."),
    _client("Riverbend Primary School", "David Osei", "d.osei@riverbend-primary.example",
            "+44 113 496 0740", "active", "maria", ("1100.00", "quarterly"), 30, ("education",),
            ("Thirty pupil laptops and two classroom projectors",
             "Web filtering that meets the safeguarding rules",
             "Work on site only in the holidays or after 15:30"),
            "David is the business manager; the head teacher signs off anything over 1,000."),
    _client("Pinecrest Property Management", "Alan Murray",
            "alan.murray@pinecrest-property.example", "+44 161 496 0815", "prospect", ADMIN,
            None, 14, ("enterprise",),
            ("Support for 25 staff across three offices",
             "Move from the server in the cupboard to cloud file storage"),
            "Referred by Whitmore Accountancy. Alan decides together with his finance director.",
            referrer="Whitmore Accountancy"),
    _customer("Elena Petrova", "", "elena.petrova@mailbox.example", "+44 7700 900112", "active",
              ("newsletter",), note="Freelance translator; bought a laptop setup and support "
              "hours."),
    _customer("Marcus Bell", "", "marcus.bell@post.example", "+44 7700 900245", "active",
              referrer="Kestrel Architects", note="Photographer, referred by Oliver Grant."),
    _customer("Oakridge Florist", "June Parker", "orders@oakridge-florist.example",
              "+44 117 496 0903", "active", ("smb",),
              note="Website changes before Valentine's Day and Mother's Day, every year."),
    _customer("Fatima Haddad", "", "fatima.haddad@inbox.example", "+44 7700 900318", "prospect",
              referrer="Elena Petrova", note="Asked for a quote for a home office network."),
    _customer("Daniel Novak", "", "daniel.novak@mailbox.example", "+44 7700 900427", "lead",
              note="Filled in the contact form about an SEO audit."),
    _customer("The Corner Bookshop", "Agnes Whitlock", "shop@cornerbookshop.example",
              "+44 161 496 0934", "active", ("smb", "newsletter"), "Copperleaf Bakery",
              "Till and stock system; pays by invoice within 14 days."),
    _customer("Grace Whitfield", "", "grace.whitfield@post.example", "+44 7700 900536", "active",
              ("vip",), note="Author, customer for years. Prefers a phone call.",
              manager="maria"),
    _customer("Hiroshi Tanaka", "", "hiroshi.tanaka@inbox.example", "+44 7700 900641",
              "onboarding", note="New home studio: two laptops and a backup appliance."),
    _customer("Sofia Marino", "", "sofia.marino@mailbox.example", "+44 7700 900753", "churned",
              note="Moved abroad."),
    _customer("Blue Door Café", "Tariq Aziz", "hello@bluedoor-cafe.example", "+44 20 7946 0877",
              "at_risk", ("smb", "hospitality"), "Copperleaf Bakery",
              "Unhappy with the last invoice; wants fixed prices.", manager=ADMIN),
    _customer("Noah Lindgren", "", "noah.lindgren@post.example", "+44 7700 900864", "lead",
              note="Met at the small business fair."),
    _customer("Amara Okoye", "", "amara.okoye@inbox.example", "+44 7700 900972", "active",
              ("newsletter",), "Greenfield Community Trust",
              "Runs a tutoring business from home."),
    _customer("Lucas Moreau", "", "lucas.moreau@mailbox.example", "+44 7700 900183", "prospect",
              note="Wants his online shop moved to new hosting."),
    _customer("Chloe Dubois", "", "chloe.dubois@post.example", "+44 7700 900294", "active"),
    _customer("Ivan Horvat", "", "ivan.horvat@inbox.example", "+44 7700 900375", "churned",
              note="Went with a cheaper provider."),
    _customer("Quickfix Bike Repair", "Sam Porter", "workshop@quickfix-bikes.example",
              "+44 113 496 0958", "active", ("smb",),
              note="Booking page, and a laptop for the workshop."),
    _customer("Rachel Stein", "", "rachel.stein@mailbox.example", "+44 7700 900486", "lead",
              ("newsletter",), note="Downloaded the backup checklist."),
    _customer("Tomasz Kowalski", "", "tomasz.kowalski@post.example", "+44 7700 900597", "active",
              referrer="Hartwell & Sons Joinery", note="Carpenter; works with Hartwell & Sons."),
    _customer("Nadia Rahman", "", "nadia.rahman@inbox.example", "+44 7700 900608", "prospect",
              note="Comparing us with two other providers."),
    _customer("Felix Baumann", "", "felix.baumann@mailbox.example", "+44 7700 900719",
              "at_risk", note="Two complaints about response times."),
    _customer("Ingrid Solberg", "", "ingrid.solberg@post.example", "+44 7700 900821", "active"),
    _customer("Patrick O'Neill", "", "patrick.oneill@inbox.example", "+44 7700 900932", "lead",
              note="Called about a laptop for his daughter."),
    _customer("Mei Chen", "", "mei.chen@mailbox.example", "+44 7700 900143", "active",
              ("newsletter",), "Amara Okoye"),
    _customer("Old Mill Pottery", "Bridget Hale", "studio@oldmill-pottery.example",
              "+44 191 498 0966", "churned", ("smb",), note="Closed the shop; studio only now."),
    _customer("Jorge Alvarez", "", "jorge.alvarez@post.example", "+44 7700 900254", "lead"),
)
BIRTHDAYS_SOON = {"Aurora Yoga Studio": 3, "Marcus Bell": 8, "Grace Whitfield": 12}
PAST_CADENCE = ("Meadowbrook Veterinary Clinic", "Greenfield Community Trust",
                "Kestrel Architects")
LEAD_SCORES = {"lead": (5, 35), "prospect": (30, 60), "onboarding": (55, 75),
               "active": (60, 95), "at_risk": (30, 55), "churned": (5, 25)}
TITLES = ("Dr", "Mr", "Mrs", "Ms")

# Checklist templates: (text, children) items, nested one level.
TEMPLATES = {
    "Laptop setup": (
        ("Confirm the specification and user with the customer", ()),
        ("Order hardware", (("Place the order with the supplier", ()),
                            ("Check the delivery against the order", ()))),
        ("Install and configure", (("Install operating system updates", ()),
                                   ("Install the office suite", ()),
                                   ("Enrol in device management", ()),
                                   ("Turn on disk encryption and backup", ()))),
        ("Hand over", (("Walk the user through the setup", ()),
                       ("Get the delivery note signed", ()))),
    ),
    "Website maintenance": (
        ("Update plugins and core", ()),
        ("Check last night's backup", ()),
        ("Run uptime and page speed checks", ()),
        ("Send the monthly report", ()),
    ),
    "SEO audit": (
        ("Crawl the site", ()),
        ("Keyword research", (("Collect search terms from the customer", ()),
                              ("Check competitors' rankings", ()))),
        ("Review page titles and meta descriptions", ()),
        ("Write the report", ()),
        ("Present the findings", ()),
    ),
    "Office network install": (
        ("Site survey", ()),
        ("Order equipment", ()),
        ("Install and cable", (("Patch panel and switch", ()), ("Wi-Fi access points", ()))),
        ("Configure firewall and guest network", ()),
        ("Test, document and hand over credentials", ()),
    ),
    "Email migration": (
        ("List mailboxes and aliases", ()),
        ("Prepare DNS records", (("MX", ()), ("SPF", ()), ("DKIM and DMARC", ()))),
        ("Migrate mailboxes", ()),
        ("Switch MX and watch the first day's mail", ()),
        ("Check with every user", ()),
    ),
    "Backup appliance install": (
        ("Rack and connect the appliance", ()),
        ("Configure backup jobs", ()),
        ("Set up off-site replication", ()),
        ("Test a restore with the customer", ()),
    ),
}
# name, kind, unit price, checklist template, weight among orders, note on the order
PRODUCTS = (
    ("Website maintenance", "service", "350.00", "Website maintenance", 4,
     "Monthly care: updates, backups, uptime and a short report."),
    ("SEO audit", "service", "890.00", "SEO audit", 3,
     "Full audit with keyword research and a written report."),
    ("Laptop setup", "product", "1290.00", "Laptop setup", 6,
     "Business laptop, configured, encrypted and enrolled."),
    ("Support hours (10h)", "service", "650.00", None, 5,
     "Prepaid block of ten support hours, valid twelve months."),
    ("Office network install", "service", "1850.00", "Office network install", 2,
     "Switch, firewall and Wi-Fi for a small office."),
    ("Email migration", "service", "480.00", "Email migration", 3,
     "Mailboxes moved to the new provider without losing mail."),
    ("Backup appliance", "product", "940.00", "Backup appliance install", 3,
     "On-site backup appliance with off-site replication."),
    ("Security awareness workshop", "service", "720.00", None, 2,
     "Two-hour phishing and password workshop for staff."),
)
ORDER_STATUSES = ("Received",) * 7 + ("In progress",) * 10 + ("Fulfilled",) * 8 + (
    "Invoiced",) * 5

# Support queries: subject, the requester's message, our first reply, tags, client (or None).
QUERIES = (
    ("Can't log in to webmail since this morning",
     "Since about 8 this morning webmail says my password is wrong, but I haven't changed it.",
     "I've reset your password and sent a temporary one by text message. Please change it "
     "when you first log in.", ("access", "email"), None),
    ("Printer in reception shows offline",
     "The reception printer shows offline on every PC. We restarted it twice already.",
     "The printer picked up a new address after last night's power cut. I've given it a fixed "
     "one and added it again on the reception PCs; could you print a test page?",
     ("printer",), None),
    ("Invoice INV-2291 has the wrong VAT number",
     "The invoice we received this week shows our old VAT number. Our accountant needs a "
     "corrected copy.",
     "Sorry about that. I've updated your details and attached a corrected invoice.",
     ("billing", "invoice"), None),
    ("Contact form on the website doesn't send e-mails",
     "Nobody has received a message from the contact form since Friday. Is it broken?",
     "The form's mail account hit its sending limit. I've moved it to the transactional mail "
     "service; please send a test message.", ("website", "email"), None),
    ("Laptop very slow after the update",
     "Since the update yesterday my laptop takes five minutes to start and the fan is loud.",
     "The update is still indexing your files in the background. Leave it on and plugged in "
     "tonight; if it's still slow tomorrow I'll connect remotely.", ("hardware",), None),
    ("New mailbox for our new starter",
     "We have a new colleague starting on Monday. Could you set up a mailbox for her?",
     "Happy to. Could you send me her full name and the job title for the signature?",
     ("email", "onboarding"), None),
    ("Wi-Fi drops every afternoon in the meeting room",
     "Every day around 2 pm the Wi-Fi in the meeting room drops for a few minutes.",
     "I can see the access point there restarting on a schedule. I've turned that off; let's "
     "see how it behaves this week.", ("network",), None),
    ("Please cancel the second laptop",
     "We ordered two laptops but only need one now. Can you cancel the second one?",
     "Done: the second laptop is cancelled and the order total is adjusted.",
     ("hardware", "billing"), None),
    ("Booking page shows last week's timetable",
     "Our booking page still shows last week's classes, so people book the wrong sessions.",
     "The timetable cache didn't refresh after Monday's update. I've cleared it and set it to "
     "refresh every hour.", ("website",), "Aurora Yoga Studio"),
    ("Phishing e-mail - did anyone click?",
     "Several of us got an e-mail pretending to be from our bank. One colleague may have "
     "clicked the link.",
     "Thanks for telling us straight away. I've blocked the sender and reset that colleague's "
     "password; please don't enter anything on that page.", ("security", "email"), None),
    ("Backup failed over the weekend",
     "We got two 'backup failed' e-mails on Saturday and Sunday. Should we worry?",
     "The backup disk was full. I've removed old versions and run the backup by hand: it "
     "completed.", ("backup",), None),
    ("How do I share my calendar with the front desk?",
     "I'd like the front desk to see my appointments but not change them. How do I do that?",
     "In the calendar, right-click your calendar, choose Sharing and add 'frontdesk' with "
     "'can view all details'.", ("how-to",), None),
    ("Outlook keeps asking for my password",
     "Outlook asks for my password every ten minutes even though I type it correctly.",
     "Your saved credentials were out of date. I've cleared them; Outlook will ask once more "
     "and then remember.", ("email",), None),
    ("Google shows our old opening hours",
     "When people search for us Google still shows our winter opening hours.",
     "Those come from your Business Profile, not the website. I've updated the hours there; "
     "Google can take a few days to show them.", ("seo",), None),
    ("Two more users on our support hours plan",
     "Can we add two more people to our support plan? They start next month.",
     "Of course. I've added them from the first of next month; the next invoice will show the "
     "change.", ("billing",), None),
    ("Card payment failed for the monthly retainer",
     "Our bank says your last card payment was declined. The card was replaced last week.",
     "No problem. I've sent a secure link where you can enter the new card.",
     ("billing",), None),
    ("Scanner saves to the wrong folder",
     "The scanner on the first floor saves everything to an old folder nobody uses.",
     "I've pointed the scan profile at the new shared folder. Please scan a test page.",
     ("printer",), None),
    ("VPN access for our accountant",
     "Our accountant needs access to the finance share from her office for two weeks.",
     "I've created a temporary VPN account that expires in 14 days and sent her the setup "
     "guide.", ("access",), None),
    ("Monitor flickering on the design workstation",
     "The big monitor on the second CAD workstation flickers every few seconds.",
     "That sounds like the cable. I'll bring a new DisplayPort cable tomorrow morning.",
     ("hardware",), "Kestrel Architects"),
    ("Does our domain expire next week?",
     "We got an e-mail saying our domain expires next week. Is that real or a scam?",
     "It's a scam: your domain is renewed with us until next year. Please delete the e-mail.",
     ("renewal", "security"), None),
    ("Website down - error 500",
     "Our website shows 'Internal Server Error' on every page. Customers are calling us.",
     "A plugin update failed halfway. I've rolled it back and the site is up again; I'll "
     "retry the update tonight.", ("website",), None),
    ("Lost phone with the authenticator app",
     "I lost my phone yesterday and can't log in anymore because of the authenticator app.",
     "I've removed the old phone from your account. When you have the new one, call me and "
     "we'll set up the app together.", ("access", "security"), None),
    ("Quote for three more laptops",
     "We're hiring three people in spring. Could you send a quote for three laptops set up "
     "like the last ones?",
     "Quote attached: three laptops with the same setup, delivered within two weeks of your "
     "OK.", ("hardware",), None),
    ("Folder on the shared drive disappeared",
     "The 'Projects 2024' folder is gone from the shared drive. Did someone delete it?",
     "It was moved into 'Archive' by mistake. I've put it back where it was.",
     ("backup",), None),
    ("Newsletter sign-up shows an error",
     "When I try the newsletter form on our site it says 'something went wrong'.",
     "The mailing list's API key had expired. I've renewed it and tested a sign-up.",
     ("website",), None),
    ("Echo on video calls in the board room",
     "Everyone on the other end hears an echo when we call from the board room.",
     "The room has two microphones active. I've disabled the laptop one in the room profile.",
     ("hardware",), None),
    ("E-mails to one customer bounce",
     "Every e-mail we send to one of our customers comes back undelivered.",
     "Their server rejects mail without a DMARC record. I've added one for your domain; "
     "please try again in an hour.", ("email",), None),
    ("Receipt printer prints blank receipts",
     "The till prints receipts but they come out blank.",
     "The paper roll is in the wrong way round: thermal paper only prints on one side. "
     "I'll talk you through it on the phone.", ("printer",), "Copperleaf Bakery"),
    ("Move our website to the new hosting",
     "Our hosting contract ends next month. Could you move the website to your hosting?",
     "Yes. I'll copy the site this week and switch the domain over at a quiet time; you "
     "won't notice the move.", ("website",), None),
    ("Copy of last quarter's invoices",
     "Our auditor asks for copies of all your invoices from last quarter.",
     "I've attached the three invoices as PDFs.", ("billing", "invoice"), None),
    ("Certificate warning on the online shop",
     "Customers tell us their browser warns that our shop is not secure.",
     "The certificate didn't renew automatically. I've renewed it and fixed the renewal job.",
     ("website", "security"), None),
    ("Guest Wi-Fi password for the conference",
     "We have a conference for 120 people on Thursday. Can we get a separate Wi-Fi password?",
     "I've set up a conference network with its own password, valid Thursday and Friday.",
     ("network",), "Harbourview Hotel"),
    ("Company e-mail on my new phone",
     "I got a new phone. How do I get my work e-mail on it?",
     "Install the mail app, sign in with your work address, and approve the login in the "
     "authenticator. I've sent a short guide with screenshots.", ("email", "how-to"), None),
    ("Deleted a spreadsheet by accident",
     "I deleted the stock spreadsheet this morning and emptied the bin. Can it be rescued?",
     "Yes: I've restored last night's version into your documents as 'Stock (restored)'.",
     ("backup",), None),
    ("Laptop won't turn on after a coffee spill",
     "I spilled coffee on my laptop and now it doesn't turn on at all.",
     "Don't try to charge it. Bring it in or we'll collect it today; a loan laptop is ready "
     "for you.", ("hardware",), None),
    ("Password reset for the booking system admin",
     "The admin account of our booking system is locked after too many attempts.",
     "I've unlocked it and reset the password. The new one is in the shared password vault.",
     ("access",), None),
    ("Slow internet at the warehouse",
     "The internet at the warehouse is very slow, especially in the afternoon.",
     "The scanners are uploading their logs all day. I've moved that to the night.",
     ("network",), "Bluefin Logistics"),
    ("Question about the SEO audit report",
     "In the audit report, what does 'thin content' on the service pages mean?",
     "It means those pages have very little text for search engines to understand. Two or "
     "three short paragraphs per service would fix it.", ("seo",), None),
    ("Instagram feed vanished from the website",
     "The Instagram photos on our home page disappeared yesterday.",
     "Instagram expired the connection. I've reconnected the feed; please check it's back.",
     ("website",), None),
    ("Update the card on file",
     "We have a new company credit card. How do we update the payment details?",
     "I've sent you a secure link to enter the new card; the old one is removed afterwards.",
     ("billing",), None),
    ("Spam sent from our own address?",
     "Customers received spam that looks like it came from our office address.",
     "The messages were forged, not sent from your account. I've tightened your domain's "
     "SPF and DMARC so receivers reject them.", ("security", "email"), None),
    ("Office move in March",
     "We're moving offices in March. What do we need to plan on the IT side?",
     "I'll send a checklist. The long lead time is the internet line: order it now, it can "
     "take six weeks.", ("network",), None),
    ("Laptop battery lasts two hours",
     "My laptop battery is empty after two hours now. It used to last all day.",
     "The battery has lost about half its capacity. It's still under warranty; I've ordered "
     "a replacement.", ("hardware",), None),
    ("Can't open PDF attachments",
     "PDF attachments open as a blank page since yesterday.",
     "The PDF viewer lost its default setting after the update. I've set it again remotely.",
     ("how-to",), None),
    ("Access to a former colleague's mailbox",
     "A colleague left last week. We need to read her mailbox for open customer requests.",
     "I've converted her mailbox to a shared mailbox and given you and Paul access.",
     ("email", "access"), None),
    ("Price list page shows the wrong prices",
     "The price list page still shows last year's prices.",
     "The page was cached by the CDN. I've purged it; the new prices show now.",
     ("website",), None),
    ("Receipt for the backup appliance",
     "Could you send a receipt for the backup appliance? We need it for insurance.",
     "Receipt attached.", ("billing",), None),
    ("Shortcut for screenshots?",
     "Is there a keyboard shortcut to take a screenshot of part of the screen?",
     "Windows key + Shift + S lets you draw a box; the picture goes to the clipboard.",
     ("how-to",), None),
    ("Windows update stuck at 35%",
     "My PC has said 'Working on updates 35%' for over an hour.",
     "Give it another 30 minutes. If it's still stuck, hold the power button for ten seconds "
     "and call me.", ("hardware",), None),
    ("No sound on the classroom laptop",
     "The laptop in class 4 has no sound on video calls, only on videos.",
     "The call app was using the projector as speaker. I've set the laptop speakers as "
     "default.", ("hardware",), "Riverbend Primary School"),
    ("Forwarding rule for the info@ mailbox",
     "Could you forward everything that arrives at info@ to the two of us in the office?",
     "Done: info@ now forwards to both of you and keeps a copy.", ("email",), None),
    ("Data protection request from a patient",
     "A patient asked for a copy of all data we hold about them. Can you help us export it?",
     "I'll export it from the practice system and put it in an encrypted archive; the "
     "password goes to you by phone.", ("security",), "Northgate Dental Practice"),
    ("Second monitor not detected after docking",
     "When I dock my laptop the second monitor stays black.",
     "The dock needed a firmware update. I've installed it; please dock again.",
     ("hardware",), None),
    ("Online shop orders missing from the admin",
     "We received payment for two orders that don't show up in the shop admin.",
     "The order sync stopped after the plugin update. I've re-run it and both orders are "
     "there now.", ("website",), None),
    ("New logo in our e-mail signatures",
     "We have a new logo. Can you update everyone's e-mail signature?",
     "Sure. Send me the logo as a PNG and I'll roll out the new signature to everyone.",
     ("email",), None),
    ("Router lights blinking orange",
     "The lights on the router are blinking orange and we have no internet.",
     "There's an outage at your internet provider in your area. They expect it fixed by "
     "noon; I'll watch it.", ("network",), None),
    ("Refund for the cancelled workshop",
     "We had to cancel the security workshop. Can we get a refund or move the date?",
     "I've moved your booking to next month's date, so nothing is lost.", ("billing",), None),
    ("Shared calendar shows the wrong time zone",
     "Appointments in the shared calendar show one hour later than they should.",
     "The shared calendar still had the wrong time zone. I've corrected it.",
     ("how-to",), None),
    ("Virus warning on a reception PC",
     "The antivirus on a reception PC showed a red warning and asked to restart.",
     "It quarantined a file from a USB stick. I've scanned the PC fully: it's clean.",
     ("security",), None),
    ("Website images load very slowly",
     "The photos on our website take ages to load, especially on phones.",
     "The photos were uploaded at full camera size. I've compressed them and turned on lazy "
     "loading; pages load three times faster.", ("website", "seo"), None),
)
QUERY_STATUSES = ("New",) * 12 + ("Open",) * 16 + ("Waiting on customer",) * 10 + (
    "Resolved",) * 13 + ("Closed",) * 9
QUERY_AGES = {"New": (0, 2), "Open": (1, 7), "Waiting on customer": (2, 10),
              "Resolved": (3, 30), "Closed": (20, 120)}
SLA_HOURS = {1: 4, 2: 24, 3: 72, 4: 120}
REQUESTERS = (
    ("Jamie Collins", "jamie.collins@mailbox.example"),
    ("Aisha Khan", "aisha.khan@post.example"),
    ("Ben Turner", "ben.turner@inbox.example"),
    ("Olga Ivanova", "olga.ivanova@mailbox.example"),
    ("Carlos Mendes", "carlos.mendes@post.example"),
    ("Hannah Berg", "hannah.berg@inbox.example"),
    ("Kwame Mensah", "kwame.mensah@mailbox.example"),
    ("Julia Novak", "julia.novak@post.example"),
)
FOLLOW_UPS = (
    "It happened again just now.",
    "Here's more detail: the error says 'access denied'.",
    "It only happens on my computer, the others are fine.",
    "I tried restarting as you suggested; no change.",
    "Could you call me? It's easier to show you.",
)
CHASERS = ("Any news on this?", "Just checking you got my message.",
           "This is getting urgent for us, could someone have a look today?")
ASKS = (
    "Could you let me know a time this week that suits you?",
    "Could you confirm once you've had a chance to try this?",
    "If it happens again, could you reply with a photo or a screenshot?",
    "Could you let me know whether this works for you before I close the ticket?",
)
THANKS = ("Thanks, that fixed it!", "Works again, thank you for the quick help.",
          "All good now, much appreciated.", "Perfect, thanks a lot.")
CLOSING = "Glad to hear it. I'll close this ticket now; just reply if anything comes back."
NOTES = (
    "Checked the logs: nothing unusual on our side.",
    "Same issue as last month: we should fix the cause instead of restarting it again.",
    "Covered by the retainer, so no extra charge for this one.",
    "Jonas set this up originally; asked him to have a look.",
    "Called them, no answer. Left a voicemail.",
    "Out of warranty: quote a replacement if it happens again.",
    "Upset on the phone; please keep them updated every day.",
    "Workaround in place; the real fix is planned for the next maintenance window.",
    "Third time this quarter. Bring it up at the account review.",
)
CSAT_COMMENTS = {
    5: ("Quick and friendly, thank you!", "Sorted within the hour.", ""),
    4: ("Good help, took a little while.", ""),
    3: ("Fixed in the end, but I had to chase.",),
    2: ("Took three days and two calls.",),
    1: ("Still not happy with how long this took.",),
}
PRIORITY_WEIGHTS = ((1, 5), (2, 20), (3, 55), (4, 15), (5, 5))

# title, list, status, priority, client, assignee, tags, due (days from today), description,
# subtasks (title, status)
TASKS = (
    ("Quarterly business review with Bluefin Logistics", "Accounts", "Doing", 2,
     "Bluefin Logistics", "priya", ("renewal",), 6,
     "Ticket statistics, uptime of the dispatch system and next quarter's plans.",
     (("Pull ticket statistics for the quarter", "Done"), ("Draft the slides", "Doing"),
      ("Book the meeting room", "To do"))),
    ("Renewal proposal for Kestrel Architects", "Accounts", "To do", 2, "Kestrel Architects",
     "priya", ("renewal",), 12, "Include the plotter support and the new NAS.", ()),
    ("Onboarding call with Solstice Solar Installations", "Accounts", "Doing", 3,
     "Solstice Solar Installations", "priya", ("onboarding",), 2, "", ()),
    ("Welcome pack for Aurora Yoga Studio", "Accounts", "To do", 3, "Aurora Yoga Studio", ADMIN,
     ("onboarding",), 5, "Contacts, support hours, how to open a ticket.", ()),
    ("Win-back offer for Atlas Freight Brokers", "Accounts", "To do", 4,
     "Atlas Freight Brokers", "priya", (), None, "Project work only, no retainer.", ()),
    ("Check in with Meadowbrook after the slow tickets", "Accounts", "To do", 1,
     "Meadowbrook Veterinary Clinic", "maria", (), 1,
     "Apologise for the delays and agree a same-day response for booking problems.", ()),
    ("Send proposal to Pinecrest Property Management", "Accounts", "Doing", 2,
     "Pinecrest Property Management", ADMIN, (), 4, "", ()),
    ("Update retainer terms for Whitmore Accountancy", "Accounts", "Done", 3,
     "Whitmore Accountancy", "priya", ("renewal",), -10, "Tax season hours added.", ()),
    ("Plan the summer laptop refresh with Riverbend Primary School", "Accounts", "To do", 3,
     "Riverbend Primary School", "maria", ("hardware",), 30, "",
     (("Count the laptops that are out of warranty", "To do"),
      ("Ask for three quotes", "To do"))),
    ("Christmas cards for retained clients", "Accounts", "To do", 5, None, "maria", (), 40, "",
     ()),
    ("Chase overdue invoice for Harbourview Hotel", "Billing", "In progress", 2,
     "Harbourview Hotel", "priya", ("invoice",), -3, "Second reminder sent; call Sean.", ()),
    ("Credit note for the double charge at Copperleaf Bakery", "Billing", "To do", 2,
     "Copperleaf Bakery", "priya", ("billing",), 3, "", ()),
    ("Update the price list for next year", "Billing", "To do", 3, None, "priya", (), 21, "",
     ()),
    ("Reconcile card payments", "Billing", "Done", 3, None, "sam", (), -5, "", ()),
    ("Set up direct debit for Greenfield Community Trust", "Billing", "In progress", 3,
     "Greenfield Community Trust", "priya", ("billing",), 7, "", ()),
    ("Renew the wildcard TLS certificate", "Internal", "To do", 2, None, "li", ("renewal",), 9,
     "", ()),
    ("Update the remote support tool on all laptops", "Internal", "In progress", 3, None,
     "jonas", (), 5, "", ()),
    ("Knowledge base article: resetting two-factor login", "Internal", "To do", 4, None, "tom",
     ("how-to",), None, "", ()),
    ("Test restore of the office backup", "Internal", "To do", 2, None, "li", ("backup",), 2,
     "Restore one folder and one mailbox; note how long it takes.", ()),
    ("Order spare toner for the office printer", "Internal", "Done", 4, None, "jonas",
     ("printer",), -8, "", ()),
    ("On-call rota for the holidays", "Internal", "In progress", 2, None, ADMIN, (), 10, "", ()),
    ("Clean up shared drive permissions", "Internal", "To do", 4, None, None, ("security",),
     None, "", ()),
    ("Move the password manager to the team plan", "Internal", "Done", 3, None, "li",
     ("security",), -20, "", ()),
    ("Evaluate a new phone system supplier", "Internal", "Dropped", 5, None, ADMIN, (), None,
     "Dropped: the current contract runs another two years.", ()),
)
# title, list, rule, assignee, description
SERIES = (
    ("Send monthly retainer invoices", "Billing", "FREQ=MONTHLY;BYMONTHDAY=1", "priya",
     "Invoice every retained client for the coming period."),
    ("Weekly support report", "Internal", "FREQ=WEEKLY;BYDAY=FR", "maria",
     "Open queries, response times and CSAT of the week."),
    ("Close the books", "Billing", "FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU,WE,TH,FR", "priya",
     "Last working day of the month: reconcile and lock the period."),
    ("Team retrospective", "Internal", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", ADMIN,
     "What went well, what didn't, what we change."),
)
TOPICS = ("the website refresh", "new laptops", "backup testing", "the office move",
          "e-mail security", "the SEO audit results", "Wi-Fi coverage", "next year's budget",
          "staff training", "the phone system")
INTERACTION_KINDS = (("call", 35), ("email", 50), ("meeting", 15))
INTERACTION_SUMMARIES = {
    "call": ("Call with {contact}: went through the open tickets, nothing urgent.",
             "Phoned {contact} about the renewal; wants a written quote.",
             "Check-in call: happy with the service, asked about {topic}.",
             "{contact} called about {topic}; follow-up task created.",
             "Short call to confirm the maintenance window."),
    "email": ("Sent the monthly report to {contact}.",
              "E-mailed {contact} the quote for {topic}.",
              "{contact} asked by e-mail about {topic}.",
              "Sent the invoice with a payment reminder.",
              "Shared the meeting notes and next steps."),
    "meeting": ("On-site visit: reviewed {topic} with {contact}.",
                "Quarterly review with {contact}: priorities for next quarter agreed.",
                "Workshop on {topic} with the team.",
                "Coffee with {contact}; talked about extending the retainer."),
}

# Generated tasks: titles are a verb, an object and either a client or a short suffix.
VERBS = ("Update", "Review", "Prepare", "Check", "Draft", "Follow up on", "Renew", "Order",
         "Schedule", "Archive", "Reconcile", "Clean up", "Test", "Document", "Migrate",
         "Replace", "Configure", "Send", "Approve", "Plan")
OBJECTS = ("invoice run", "supplier quote", "price list", "newsletter", "website copy",
           "firewall rules", "backup report", "onboarding pack", "quarterly figures",
           "printer drivers", "password policy", "timesheets", "domain renewal", "VPN access",
           "mailbox quotas", "laptop inventory", "asset register", "service contract",
           "licence keys", "meeting notes", "SLA report", "support macros", "shipping labels",
           "expense claims", "payroll export", "Wi-Fi passwords", "phone extensions",
           "calendar sharing", "antivirus exclusions", "storage quotas")
SUFFIXES = ("before Friday", "for next month", "(second pass)", "with the team",
            "for the audit", "after the update", "for the new starters", "in the wiki")
DESCRIPTIONS = ("Agreed in the Monday stand-up.", "Notes are in the shared drive.",
                "Waiting for the supplier to confirm the date.",
                "Needs sign-off from the account manager.", "Small: do it between tickets.",
                "Carried over from last month.", "The customer asked for this by e-mail.",
                "Follow the checklist in the wiki.", "Part of the yearly housekeeping.",
                "Coordinate with Fulfilment before starting.")
ESTIMATES = (15, 30, 60, 90, 120, 240, 480)
LIST_WEIGHTS = {"Internal": 35, "Accounts": 25, "Billing": 15, "Support inbox": 15,
                "Orders": 10}
CATEGORY_WEIGHTS = {"open": 40, "active": 30, "done": 22, "closed": 8}
GENERATED_SPAN_DAYS = 730
